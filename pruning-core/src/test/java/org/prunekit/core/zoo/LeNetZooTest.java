package org.prunekit.core.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.structure.StructuralPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** LeNet-5 (6, 16, 120, 84, 10) for 1x28x28: groups, 50% removal, hand-counted costs. */
class LeNetZooTest {
  private static final Logger LOG = LoggerFactory.getLogger(LeNetZooTest.class);

  private static Graph lenet() {
    return ZooTestSupport.perturbed(ModelZoo.leNet(LeNetConfig.classic(7)), 4);
  }

  @Test
  void buildsRunsAndCostsWhatLeNet5Costs() {
    Graph g = lenet();
    assertEquals(new Shape(3, 10), ZooTestSupport.run(g, ZooTestSupport.inputs(g, 3, 1)).shape());
    CostTotals c = ZooTestSupport.cost(g);
    // 156 + 2416 + 48120 + 10164 + 850
    assertEquals(61706, c.params());
    // 28*28*6*25 + 10*10*16*150 + 400*120 + 120*84 + 84*10
    assertEquals(416520, c.macs());
  }

  @Test
  void groupsAndFlattenBlocks() {
    DependencyGraph d = DependencyGraph.build(lenet());
    LOG.info("LeNet-5 groups:\n{}", d);
    assertEquals(List.of("conv1 output channels (6)", "conv2 output channels (16)", "fc1 output features (120)",
        "fc2 output features (84)"), ZooTestSupport.prunableRoots(d));
    assertFalse(d.group("fc3 output features").isPrunable());
    PruningGroup conv2 = d.group("conv2 output channels");
    assertEquals(List.of("conv2.weight@0 OUT", "conv2.bias@0 OUT", "fc1.weight@1 IN"), ZooTestSupport.memberKeys(conv2));
    int[] unit3 = conv2.member("fc1.weight", 1).indices(3);
    assertEquals(25, unit3.length, "a 5x5 map per channel after flatten");
    assertEquals(75, unit3[0]);
    assertEquals(99, unit3[24]);
  }

  @Test
  void halfOfEveryGroupRemovedMatchesZeroedOriginalAndHandCountedCosts() {
    Graph g = lenet();
    StructuralPlan plan = ZooTestSupport.half(DependencyGraph.build(g), grp -> true, 23);
    assertEquals(3 + 8 + 60 + 42, plan.unitsRemoved());
    ZooTestSupport.Pruned p = ZooTestSupport.assertInvariant(g, plan, ZooTestSupport.inputs(g, 4, 2));
    CostTotals before = ZooTestSupport.cost(g);
    CostTotals after = ZooTestSupport.cost(p.graph());
    // conv1 3*25+3, conv2 8*3*25+8, fc1 200*60+60, fc2 60*42+42, fc3 42*10+10
    assertEquals(15738, after.params());
    // 28*28*3*25 + 10*10*8*75 + 200*60 + 60*42 + 42*10
    assertEquals(133740, after.macs());
    assertEquals(ZooTestSupport.cost(ModelZoo.leNet(new LeNetConfig(3, 8, 60, 42, 10, 1))).macs(), after.macs());
    LOG.info("LeNet-5 50%: params {} -> {}, MACs {} -> {}, invariant error {}", before.params(), after.params(),
        before.macs(), after.macs(), p.invariantError());
  }
}
