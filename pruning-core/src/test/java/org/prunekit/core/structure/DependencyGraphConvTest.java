package org.prunekit.core.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prunekit.core.structure.GroupAsserts.assertMembers;
import static org.prunekit.core.structure.GroupAsserts.blocks;
import static org.prunekit.core.structure.GroupAsserts.identity;
import static org.prunekit.core.structure.GroupAsserts.shifted;
import static org.prunekit.core.structure.GroupMember.Direction.IN;
import static org.prunekit.core.structure.GroupMember.Direction.OUT;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;

/** Coupled groups of convolutional patterns, members and index mappings checked by hand. */
class DependencyGraphConvTest {

  @Test
  void convBnReluConvCouplesBiasBatchNormAndNextInput() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.convBnReluConv());
    assertEquals(List.of("conv1 output channels", "conv2 output channels"),
        deps.groups().stream().map(PruningGroup::root).toList());
    PruningGroup g = deps.group("conv1 output channels");
    assertEquals(4, g.size());
    assertTrue(g.isPrunable());
    assertMembers(g,
        "conv1.weight", 0, OUT, identity(4),
        "conv1.bias", 0, OUT, identity(4),
        "bn1.gamma", 0, OUT, identity(4),
        "bn1.beta", 0, OUT, identity(4),
        "bn1.running_mean", 0, OUT, identity(4),
        "bn1.running_var", 0, OUT, identity(4),
        "conv2.weight", 1, IN, identity(4));
    assertMembers(deps.group("conv2 output channels"),
        "conv2.weight", 0, OUT, identity(6),
        "conv2.bias", 0, OUT, identity(6),
        "fc.weight", 1, IN, identity(6));
    // the classifier's outputs are graph outputs; the input's channels are fixed
    assertTrue(deps.unprunable().contains(
        new Unprunable("fc", "graph output: its channels must stay", "fc output features")));
    assertTrue(deps.unprunable().stream().anyMatch(u -> u.node().equals("image")));
    assertFalse(deps.group("fc output features").isPrunable());
  }

  @Test
  void toStringListsMembersWithMappings() {
    String text = DependencyGraph.build(StructureModels.convBnReluConv()).group("conv1 output channels").toString();
    assertTrue(text.startsWith("group #1 'conv1 output channels': 4 units, prunable"), text);
    assertTrue(text.contains("bn1.running_var  axis 0 OUT u -> [u] for u in 0..3"), text);
    assertTrue(text.contains("conv2.weight     axis 1 IN  u -> [u] for u in 0..3"), text);
  }

  @Test
  void residualAddUnitesAllBranches() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.residual());
    PruningGroup g = deps.group("stem output channels");
    assertEquals(8, g.size());
    assertMembers(g,
        "stem.weight", 0, OUT, identity(8),
        "stem.bias", 0, OUT, identity(8),
        "b1.weight", 1, IN, identity(8),
        "b2.weight", 0, OUT, identity(8),
        "b2.bias", 0, OUT, identity(8),
        "fc.weight", 1, IN, identity(8));
    assertMembers(deps.group("b1 output channels"),
        "b1.weight", 0, OUT, identity(5),
        "b1.bias", 0, OUT, identity(5),
        "b2.weight", 1, IN, identity(5));
    assertEquals(2, deps.groups().size());
  }

  @Test
  void concatMapsIndexRangesToItsInputs() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.concat());
    assertMembers(deps.group("a output channels"),
        "a.weight", 0, OUT, identity(4),
        "a.bias", 0, OUT, identity(4),
        "c.weight", 1, IN, identity(4));
    assertMembers(deps.group("b output channels"),
        "b.weight", 0, OUT, identity(3),
        "b.bias", 0, OUT, identity(3),
        "c.weight", 1, IN, shifted(3, 4));
    assertEquals("u -> [u+4] for u in 0..2", deps.group("b output channels").member("c.weight", 1).mappingText());
  }

  @Test
  void concatAddedToAResidualSplitsTheGroupAcrossBranches() {
    PruningGroup g = DependencyGraph.build(StructureModels.concatResidual()).group("a output channels");
    assertEquals(7, g.size());
    int[][] a = {{0}, {1}, {2}, {3}, {}, {}, {}};
    int[][] b = {{}, {}, {}, {}, {0}, {1}, {2}};
    assertMembers(g,
        "a.weight", 0, OUT, a,
        "a.bias", 0, OUT, a,
        "b.weight", 0, OUT, b,
        "b.bias", 0, OUT, b,
        "d.weight", 0, OUT, identity(7),
        "d.bias", 0, OUT, identity(7),
        "fc.weight", 1, IN, identity(7));
    assertEquals("0->[0] 1->[1] 2->[2] 3->[3] 4->[] 5->[] 6->[]", g.member("a.weight", 0).mappingText());
  }

  @Test
  void depthwiseCouplesInputAndOutputChannelsWithMultiplier() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.depthwise());
    PruningGroup g = deps.group("pw1 output channels");
    assertEquals(6, g.size());
    assertMembers(g,
        "pw1.weight", 0, OUT, identity(6),
        "pw1.bias", 0, OUT, identity(6),
        "dw.weight", 0, OUT, blocks(6, 2, 0),
        "dw.bias", 0, OUT, blocks(6, 2, 0),
        "pw2.weight", 1, IN, blocks(6, 2, 0));
    assertEquals(List.of("pw1 output channels", "pw2 output channels"),
        deps.groups().stream().map(PruningGroup::root).toList());
  }

  @Test
  void groupedConvMakesItsChannelsUnprunableWithReason() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.grouped());
    String reason = "grouped convolution with 2 groups (not depthwise): removing channels would unbalance its groups";
    assertTrue(deps.unprunable().contains(new Unprunable("g", reason, "pw1 output channels")), deps.unprunable()::toString);
    assertTrue(deps.unprunable().contains(new Unprunable("g", reason, "g output channels")));
    assertTrue(deps.groups().isEmpty(), deps::toString);
    assertFalse(deps.group("pw1 output channels").isPrunable());
  }

  @Test
  void flattenMapsAChannelToABlockOfFeatures() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.flattenLinear());
    // conv output [3, 4, 4] pooled to [3, 2, 2]: channel c -> features 4c .. 4c+3
    assertMembers(deps.group("conv output channels"),
        "conv.weight", 0, OUT, identity(3),
        "conv.bias", 0, OUT, identity(3),
        "fc1.weight", 1, IN, blocks(3, 4, 0));
    assertMembers(deps.group("fc1 output features"),
        "fc1.weight", 0, OUT, identity(5),
        "fc1.bias", 0, OUT, identity(5),
        "fc2.weight", 1, IN, identity(5));
  }

  @Test
  void reshapeThatKeepsTheChannelAxisCouplesLikeFlatten() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.reshapeKeepingChannels());
    assertMembers(deps.group("conv output channels"),
        "conv.weight", 0, OUT, identity(3),
        "conv.bias", 0, OUT, identity(3),
        "fc.weight", 1, IN, blocks(3, 16, 0));
  }

  @Test
  void ambiguousReshapeIsUnprunableNamingTheNode() {
    Graph graph = StructureModels.ambiguousReshape();
    var before = PhysicalPrunerTest.snapshot(graph);
    String summary = graph.summary();
    DependencyGraph deps = DependencyGraph.build(graph);
    PhysicalPrunerTest.assertUnchanged(before, graph);
    assertEquals(summary, graph.summary());
    assertTrue(deps.groups().isEmpty(), deps::toString);
    Unprunable u = deps.group("conv output channels").blockers().get(0);
    assertEquals("split", u.node());
    assertEquals("ambiguous reshape from [3, 4, 4] to [6, 8]: it splits or merges channel axis 1 of 'conv'", u.reason());
    assertEquals("conv output channels", u.channels());
  }

  @Test
  void anIntermediateGraphOutputKeepsItsChannels() {
    Graph graph = GraphBuilder.create(1).input("x", 2, 5, 5)
        .conv2d("c1", 4, 3, 1, 1).output().relu().conv2d("c2", 3, 3, 1, 1).globalAvgPool().output().build();
    DependencyGraph deps = DependencyGraph.build(graph);
    assertEquals(List.of(new Unprunable("c1", "graph output: its channels must stay", "c1 output channels")),
        deps.group("c1 output channels").blockers());
    assertEquals("gap_2", deps.group("c2 output channels").blockers().get(0).node());
    assertTrue(deps.groups().isEmpty());
  }

  @Test
  void concatWithAGraphInputKeepsOnlyTheInputPartFixed() {
    Graph graph = GraphBuilder.create(1).input("x", 2, 5, 5)
        .conv2d("c1", 3, 3, 1, 1).concat("cat", "x", "c1").conv2d("c2", 4, 1, 1, 0).globalAvgPool()
        .linear("fc", 2).build();
    DependencyGraph deps = DependencyGraph.build(graph);
    assertMembers(deps.group("c1 output channels"),
        "c1.weight", 0, OUT, identity(3),
        "c1.bias", 0, OUT, identity(3),
        "c2.weight", 1, IN, shifted(3, 2));
    PruningGroup input = deps.groupOf("c2.weight", 1, 0);
    assertFalse(input.isPrunable());
    assertEquals("x", input.blockers().get(0).node());
  }

  @Test
  void groupOfFindsTheGroupOwningASlice() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.concat());
    assertEquals("b output channels", deps.groupOf("c.weight", 1, 5).root());
    assertEquals("a output channels", deps.groupOf("c.weight", 1, 3).root());
  }
}
