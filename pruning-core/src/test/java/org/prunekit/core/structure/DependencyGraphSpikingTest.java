package org.prunekit.core.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;

class DependencyGraphSpikingTest {
  @Test
  void lifPassesChannelsThroughAndPhysicalPruningKeepsTheLayout() {
    Graph g = GraphBuilder.create(4).input("x", 5)
        .node("enc", new TimeEncode(3, TimeEncode.Mode.REPEAT), "x")
        .linear("fc1", 6).node("lif1", Lif.of(3, 0.9f), "fc1")
        .linear("fc2", 2).node("rate", new TimeMean(3), "fc2").output()
        .build();
    DependencyGraph deps = DependencyGraph.build(g);
    PruningGroup grp = deps.group("fc1 output features");
    assertTrue(grp.isPrunable(), grp.toString());
    assertEquals(1, grp.membersOf("fc2").size(), "fc2's input columns follow fc1's rows through the LIF layer");
    assertFalse(deps.group("fc2 output features").isPrunable(), "reaches the graph output");
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().remove(grp, 0, 4).build());
    assertEquals(new Shape(4, 5), p.parameter("fc1.weight").shape());
    assertEquals(new Shape(2, 4), p.parameter("fc2.weight").shape());
    assertEquals(Lif.of(3, 0.9f), p.node("lif1").op());
    assertEquals(new Shape(6, 4), p.inferShapes(2).get("lif1"));
  }

  @Test
  void convChannelsAfterAnUnfoldStayPrunable() {
    // [B, T=2, C=3, L=4] -> unfold -> [2B, 3, 4]: conv channels after the unfold are axis 1.
    Graph g = GraphBuilder.create(4).input("x", 2, 3, 4)
        .node("unfold", new TimeEncode(2, TimeEncode.Mode.UNFOLD), "x")
        .node("c1", org.prunekit.core.graph.op.Conv.simple(1, 3, 4, 3, 1), "unfold")
        .node("lif", Lif.of(2, 0.5f), "c1")
        .node("c2", org.prunekit.core.graph.op.Conv.simple(1, 4, 2, 3, 1), "lif")
        .node("rate", new TimeMean(2), "c2").output()
        .build();
    PruningGroup grp = DependencyGraph.build(g).group("c1 output channels");
    assertTrue(grp.isPrunable(), grp.toString());
    assertEquals(1, grp.membersOf("c2").size());
  }
}
