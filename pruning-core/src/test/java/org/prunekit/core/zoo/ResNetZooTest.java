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

/** ResNet-8 (widths 16, 32, 64): build, groups counted by hand, 50% physical removal. */
class ResNetZooTest {
  private static final Logger LOG = LoggerFactory.getLogger(ResNetZooTest.class);

  private static Graph resnet8() {
    return ZooTestSupport.perturbed(ModelZoo.resnet(ResNetConfig.builder().build()), 1);
  }

  @Test
  void buildsAndRunsWithHandCountedSizes() {
    Graph g = resnet8();
    Tensor y = ZooTestSupport.run(g, ZooTestSupport.inputs(g, 2, 3));
    assertEquals(new Shape(2, 10), y.shape());
    assertEquals(new Shape(2, 32, 16, 16), g.inferShapes(2).get("s2b1_add"));
    assertEquals(new Shape(2, 64, 8, 8), g.inferShapes(2).get("s3b1_relu"));
    Conv proj = (Conv) g.node("s3b1_proj").op();
    assertEquals(2, proj.stride()[0]);
    assertEquals(1, proj.kernel()[0]);
    assertFalse(g.hasNode("s1b1_proj"), "stage 1 keeps the identity shortcut");
    CostTotals c = ZooTestSupport.cost(g);
    // hand count: conv weights 432 + 2*2304 + 4608 + 9216 + 512 + 18432 + 36864 + 2048 = 76720,
    // fc 650, BatchNorm 4 x (16 + 16 + 16 + 32 + 32 + 32 + 64 + 64 + 64) = 1344
    assertEquals(78714, c.params());
    // conv MACs: 32*32*16*27 + 2*(1024*16*144) + 256*32*144 + 256*32*288 + 256*32*16
    //          + 64*64*288 + 64*64*576 + 64*64*32, plus fc 640
    assertEquals(12501632, c.macs());
    ResNetConfig r20 = ResNetConfig.builder().optBlocksPerStage(3).build();
    assertEquals(20, r20.depth());
    assertEquals(21, ModelZoo.resnet(r20).nodes().stream().filter(n -> n.op() instanceof Conv).count(),
        "ResNet-20: stem + 18 block convs + 2 projections");
  }

  @Test
  void everyResidualStageIsOneGroup() {
    Graph g = resnet8();
    DependencyGraph d = DependencyGraph.build(g);
    LOG.info("ResNet-8 groups:\n{}", d);
    assertEquals(List.of("stem output channels (16)", "s1b1_conv1 output channels (16)",
        "s2b1_conv1 output channels (32)", "s2b1_conv2 output channels (32)", "s3b1_conv1 output channels (64)",
        "s3b1_conv2 output channels (64)"), ZooTestSupport.prunableRoots(d));
    // plus the fixed image channels and the classifier's outputs (a graph output)
    assertEquals(8, d.allGroups().size());
    assertFalse(d.group("fc output features").isPrunable());

    List<String> stage1 = new ArrayList<>(List.of("stem.weight@0 OUT"));
    stage1.addAll(bn("stem_bn"));
    stage1.add("s1b1_conv1.weight@1 IN");
    stage1.add("s1b1_conv2.weight@0 OUT");
    stage1.addAll(bn("s1b1_bn2"));
    stage1.add("s2b1_conv1.weight@1 IN");
    stage1.add("s2b1_proj.weight@1 IN");
    PruningGroup s1 = d.group("stem output channels");
    assertEquals(stage1, ZooTestSupport.memberKeys(s1));
    ZooTestSupport.assertIdentityMappings(s1);

    List<String> stage2 = new ArrayList<>(List.of("s2b1_conv2.weight@0 OUT"));
    stage2.addAll(bn("s2b1_bn2"));
    stage2.add("s2b1_proj.weight@0 OUT");
    stage2.addAll(bn("s2b1_proj_bn"));
    stage2.add("s3b1_conv1.weight@1 IN");
    stage2.add("s3b1_proj.weight@1 IN");
    PruningGroup s2 = d.group("s2b1_conv2 output channels");
    assertEquals(stage2, ZooTestSupport.memberKeys(s2));
    ZooTestSupport.assertIdentityMappings(s2);

    List<String> stage3 = new ArrayList<>(List.of("s3b1_conv2.weight@0 OUT"));
    stage3.addAll(bn("s3b1_bn2"));
    stage3.add("s3b1_proj.weight@0 OUT");
    stage3.addAll(bn("s3b1_proj_bn"));
    stage3.add("fc.weight@1 IN");
    assertEquals(stage3, ZooTestSupport.memberKeys(d.group("s3b1_conv2 output channels")));

    List<String> inner = new ArrayList<>(List.of("s2b1_conv1.weight@0 OUT"));
    inner.addAll(bn("s2b1_bn1"));
    inner.add("s2b1_conv2.weight@1 IN");
    assertEquals(inner, ZooTestSupport.memberKeys(d.group("s2b1_conv1 output channels")));
  }

  @Test
  void resnet14HasOneGroupPerStageAndOnePerBlock() {
    Graph g = ModelZoo.resnet(ResNetConfig.builder().optBlocksPerStage(2).build());
    DependencyGraph d = DependencyGraph.build(g);
    // 3 residual stages + 6 blocks' inner convs; every block output of a stage joins its stage's group
    assertEquals(9, d.groups().size());
    PruningGroup s2 = d.group("s2b1_conv2 output channels");
    assertTrue(s2.member("s2b2_conv2.weight", 0) != null && s2.member("s2b1_proj.weight", 0) != null
        && s2.member("s2b2_conv1.weight", 1) != null && s2.member("s3b1_proj.weight", 1) != null);
  }

  @Test
  void halfOfEveryGroupRemovedPhysicallyMatchesZeroedOriginalAndHalfWidthCosts() {
    Graph g = resnet8();
    DependencyGraph d = DependencyGraph.build(g);
    StructuralPlan plan = ZooTestSupport.half(d, grp -> true, 5);
    assertEquals(6, plan.removals().size());
    assertEquals(8 + 8 + 16 + 16 + 32 + 32, plan.unitsRemoved());
    ZooTestSupport.Pruned p = ZooTestSupport.assertInvariant(g, plan, ZooTestSupport.inputs(g, 3, 7));
    Graph small = p.graph();
    assertEquals(new Shape(3, 10), ZooTestSupport.run(small, ZooTestSupport.inputs(small, 3, 7)).shape());

    CostTotals before = ZooTestSupport.cost(g);
    CostTotals after = ZooTestSupport.cost(small);
    // hand count for widths 8, 16, 32: conv weights 19288, fc 330, BatchNorm 4 x 168 = 672
    assertEquals(20290, after.params());
    assertEquals(3236160, after.macs());
    CostTotals narrow = ZooTestSupport.cost(ModelZoo.resnet(ResNetConfig.builder().optStageWidths(8, 16, 32).build()));
    assertEquals(narrow.params(), after.params());
    assertEquals(narrow.macs(), after.macs());
    LOG.info("ResNet-8 50% channels: params {} -> {} ({}), MACs {} -> {} ({}), invariant error {}",
        before.params(), after.params(), ratio(after.params(), before.params()), before.macs(), after.macs(),
        ratio(after.macs(), before.macs()), p.invariantError());
  }

  @Test
  void badConfigurationsNameTheField() {
    assertThrows(IllegalArgumentException.class, () -> ResNetConfig.builder().optStageWidths().build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ResNetConfig.builder().optBlocksPerStage(0).build());
    assertTrue(e.getMessage().contains("blocksPerStage"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ResNetConfig.builder().optInput(3, 2).build());
    assertTrue(e.getMessage().contains("total stride 4"), e.getMessage());
  }

  static String ratio(long a, long b) {
    return String.format("%.4f", (double) a / b);
  }
}
