package org.prunekit.core.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prunekit.core.zoo.ZooTestSupport.bn;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.structure.StructuralPlan;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default MobileNetV2-style network: stem 16; stages (t, c, n, s) = (1, 8, 1, 1), (4, 16, 2,
 * 2), (4, 24, 2, 2); last 64. Blocks b1 (16 -> 8, no expansion), b2 (8 -> 16, stride 2), b3 (16 ->
 * 16, residual), b4 (16 -> 24, stride 2), b5 (24 -> 24, residual).
 */
class MobileNetV2ZooTest {
  private static final Logger LOG = LoggerFactory.getLogger(MobileNetV2ZooTest.class);

  private static Graph model() {
    return ZooTestSupport.perturbed(ModelZoo.mobileNetV2(MobileNetV2Config.builder().build()), 2);
  }

  @Test
  void buildsAndRuns() {
    Graph g = model();
    Tensor y = ZooTestSupport.run(g, ZooTestSupport.inputs(g, 2, 3));
    assertEquals(new Shape(2, 10), y.shape());
    assertEquals(new Shape(1, 32, 16, 16), g.inferShapes(1).get("b2_dw"));
    assertTrue(((Conv) g.node("b2_dw").op()).isDepthwise());
    assertFalse(g.hasNode("b1_expand"), "expansion 1: no expand conv");
    assertTrue(g.hasNode("b3_add") && g.hasNode("b5_add"));
    assertFalse(g.hasNode("b2_add") || g.hasNode("b4_add"), "stride-2 blocks have no residual");
    assertEquals(new Shape(1, 24, 8, 8), g.inferShapes(1).get("b5_add"));
  }

  @Test
  void depthwiseCouplesExpandOutputAndResidualsUniteProjections() {
    Graph g = model();
    DependencyGraph d = DependencyGraph.build(g);
    LOG.info("MobileNetV2 groups:\n{}", d);
    // by hand: stem (feeds b1's depthwise), b1 project, b2 expand, b2+b3 project (residual),
    // b3 expand, b4 expand, b4+b5 project (residual), b5 expand, last conv
    assertEquals(List.of("stem output channels (16)", "b1_project output channels (8)",
        "b2_expand output channels (32)", "b2_project output channels (16)", "b3_expand output channels (64)",
        "b4_expand output channels (64)", "b4_project output channels (24)", "b5_expand output channels (96)",
        "last output channels (64)"), ZooTestSupport.prunableRoots(d));
    assertEquals(11, d.allGroups().size(), "plus the fixed image channels and the classifier outputs");

    List<String> expand = new ArrayList<>(List.of("b2_expand.weight@0 OUT"));
    expand.addAll(bn("b2_expand_bn"));
    expand.add("b2_dw.weight@0 OUT");
    expand.addAll(bn("b2_dw_bn"));
    expand.add("b2_project.weight@1 IN");
    PruningGroup e2 = d.group("b2_expand output channels");
    assertEquals(expand, ZooTestSupport.memberKeys(e2));
    ZooTestSupport.assertIdentityMappings(e2);

    List<String> stem = new ArrayList<>(List.of("stem.weight@0 OUT"));
    stem.addAll(bn("stem_bn"));
    stem.add("b1_dw.weight@0 OUT");
    stem.addAll(bn("b1_dw_bn"));
    stem.add("b1_project.weight@1 IN");
    assertEquals(stem, ZooTestSupport.memberKeys(d.group("stem output channels")));

    List<String> residual = new ArrayList<>(List.of("b2_project.weight@0 OUT"));
    residual.addAll(bn("b2_project_bn"));
    residual.add("b3_expand.weight@1 IN");
    residual.add("b3_project.weight@0 OUT");
    residual.addAll(bn("b3_project_bn"));
    residual.add("b4_expand.weight@1 IN");
    PruningGroup r = d.group("b2_project output channels");
    assertEquals(residual, ZooTestSupport.memberKeys(r));
    ZooTestSupport.assertIdentityMappings(r);
  }

  @Test
  void halfOfEveryGroupRemovedPhysicallyMatchesZeroedOriginalAndHalfWidthCosts() {
    Graph g = model();
    DependencyGraph d = DependencyGraph.build(g);
    StructuralPlan plan = ZooTestSupport.half(d, grp -> true, 11);
    assertEquals(9, plan.removals().size());
    assertEquals((16 + 8 + 32 + 16 + 64 + 64 + 24 + 96 + 64) / 2, plan.unitsRemoved());
    ZooTestSupport.Pruned p = ZooTestSupport.assertInvariant(g, plan, ZooTestSupport.inputs(g, 2, 9));
    Graph small = p.graph();
    Conv dw = (Conv) small.node("b5_dw").op();
    assertTrue(dw.isDepthwise());
    assertEquals(48, dw.inChannels());
    assertEquals(48, dw.groups());

    MobileNetV2Config halfWidth = MobileNetV2Config.builder().optStem(8)
        .optStages(new MobileNetV2Config.Stage(1, 4, 1, 1), new MobileNetV2Config.Stage(4, 8, 2, 2),
            new MobileNetV2Config.Stage(4, 12, 2, 2))
        .optLastWidth(32).build();
    CostTotals before = ZooTestSupport.cost(g);
    CostTotals after = ZooTestSupport.cost(small);
    CostTotals narrow = ZooTestSupport.cost(ModelZoo.mobileNetV2(halfWidth));
    assertEquals(narrow.params(), after.params());
    assertEquals(narrow.macs(), after.macs());
    // hand count of the removed depthwise MACs of b5: 48 channels x 9 taps x 8 x 8 positions
    assertEquals(48L * 9 * 64, ZooTestSupport.macsOf(g, "b5_dw") - ZooTestSupport.macsOf(small, "b5_dw"));
    LOG.info("MobileNetV2 50% channels: params {} -> {} ({}), MACs {} -> {} ({}), invariant error {}",
        before.params(), after.params(), ResNetZooTest.ratio(after.params(), before.params()), before.macs(),
        after.macs(), ResNetZooTest.ratio(after.macs(), before.macs()), p.invariantError());
  }

  @Test
  void badStagesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MobileNetV2Config.Stage(4, 16, 2, 3));
    assertTrue(e.getMessage().contains("stride"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MobileNetV2Config.builder().optStages().build());
  }
}
