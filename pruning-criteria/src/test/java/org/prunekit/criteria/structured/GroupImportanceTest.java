package org.prunekit.criteria.structured;

import org.junit.jupiter.api.extension.ExtendWith;
import org.prunekit.criteria.OneDnnOff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorData;

@ExtendWith(OneDnnOff.class)
class GroupImportanceTest {

  private static PruningGroup onlyGroup(Graph g) {
    List<PruningGroup> groups = DependencyGraph.build(g).groups();
    assertEquals(1, groups.size(), "prunable groups: " + groups);
    return groups.get(0);
  }

  private static GroupScoringContext ctx(Graph g, GroupReduction r) {
    return new GroupScoringContext(g, Map.of(), r, 0);
  }

  /*
   * fc1 W1 = [[1,-2,3],[0.5,0,-1]], b1 = [0.1,-0.2]; fc2 W2 = [[2,-1],[4,0.5]]. The group of fc1's
   * neurons: fc1.weight rows (OUT), fc1.bias (OUT, not scored by magnitude), fc2.weight columns (IN).
   * l1: unit 0 = (1+2+3) + (2+4) = 12, unit 1 = (0.5+0+1) + (1+0.5) = 3; mean over 2 members: 6, 1.5.
   */
  @Test
  void l1SumsAndMeansOverMembersByHand() {
    Graph g = StructuredFixtures.twoLinear();
    PruningGroup grp = onlyGroup(g);
    assertArrayEquals(new double[] {12, 3}, new L1Importance().score(grp, ctx(g, GroupReduction.SUM)), 1e-9);
    assertArrayEquals(new double[] {6, 1.5}, new L1Importance().score(grp, ctx(g, GroupReduction.MEAN)), 1e-9);
  }

  /* l2: unit 0 = sqrt(1+4+9) + sqrt(4+16) = 3.741657 + 4.472136; unit 1 = sqrt(1.25) + sqrt(1.25). */
  @Test
  void l2NormPerMemberSliceByHand() {
    Graph g = StructuredFixtures.twoLinear();
    double[] s = new L2Importance().score(onlyGroup(g), ctx(g, GroupReduction.SUM));
    assertArrayEquals(new double[] {Math.sqrt(14) + Math.sqrt(20), 2 * Math.sqrt(1.25)}, s, 1e-6);
  }

  /* A mask zeroing fc1.weight[0][2] (value 3) takes 3 off unit 0's l1 score: 12 - 3 = 9. */
  @Test
  void masksAreApplied() {
    Graph g = StructuredFixtures.twoLinear();
    g.parameter("fc1.weight").setMask(Tensor.of(new float[] {1, 1, 0, 1, 1, 1}, 2, 3));
    assertArrayEquals(new double[] {9, 3}, new L1Importance().score(onlyGroup(g), ctx(g, GroupReduction.SUM)), 1e-9);
  }

  /*
   * Gradients G1 = [[1,1,1],[2,0,1]], gb1 = [1,-1], G2 = [[0.5,1],[-1,2]].
   * unit 0: |1-2+3| = 2, |0.1*1| = 0.1, |2*0.5 + 4*(-1)| = 3 -> 5.1 (mean 1.7)
   * unit 1: |0.5*2 + 0 - 1| = 0, |-0.2*-1| = 0.2, |-1*1 + 0.5*2| = 0 -> 0.2
   */
  @Test
  void taylorAbsOfSummedProductsByHand() {
    Graph g = StructuredFixtures.twoLinear();
    Map<String, TensorData> grads = Map.of(
        "fc1.weight", Tensor.of(new float[] {1, 1, 1, 2, 0, 1}, 2, 3),
        "fc1.bias", Tensor.of(new float[] {1, -1}, 2),
        "fc2.weight", Tensor.of(new float[] {0.5f, 1, -1, 2}, 2, 2));
    PruningGroup grp = onlyGroup(g);
    TaylorImportance t = new TaylorImportance();
    assertTrue(t.requiresGradients());
    assertArrayEquals(new double[] {5.1, 0.2}, t.score(grp, new GroupScoringContext(g, grads, GroupReduction.SUM, 0)),
        1e-6);
    assertArrayEquals(new double[] {1.7, 0.2 / 3}, t.score(grp, new GroupScoringContext(g, grads,
        GroupReduction.MEAN, 0)), 1e-6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.score(grp, new GroupScoringContext(g, Map.of("fc1.weight", grads.get("fc1.weight")),
            GroupReduction.SUM, 0)));
    assertTrue(e.getMessage().contains("fc1.bias"), e.getMessage());
  }

  /*
   * Calibration: fc (W, B) with L2 loss, hand gradients from GradientCaptureTest:
   * dL/dW = [[-0.625,-1,-1.25],[1.5,1,-0.5]], dL/db = [-0.375,-0.5]. Two equal batches: same mean.
   */
  @Test
  void calibrationAveragesGradientCaptureOverBatches() {
    Graph g = GraphBuilder.create(0).input("x", 3)
        .node("fc", new Linear(3, 2, true), Map.of("weight", Tensor.of(new float[] {1f, -2f, 0.5f, 0f, 3f, -1f}, 2, 3),
            "bias", Tensor.of(new float[] {0.5f, -1f}, 2)), "x")
        .build();
    CalibrationBatch b = CalibrationBatch.of(Tensor.of(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, 2, 3),
        Tensor.of(new float[] {1f, 0f, 0f, 1f}, 2, 2));
    StructuredCalibration c = StructuredCalibration.fromBatches(g, Loss.l2Loss(), List.of(b, b));
    assertArrayEquals(new float[] {-0.625f, -1f, -1.25f, 1.5f, 1f, -0.5f},
        c.gradients().get("fc.weight").toFloatArray(), 1e-5f);
    assertArrayEquals(new float[] {-0.375f, -0.5f}, c.gradients().get("fc.bias").toFloatArray(), 1e-5f);
    assertThrows(IllegalArgumentException.class, () -> StructuredCalibration.fromBatches(g, Loss.l2Loss(), List.of()));
  }

  /* bn-scale: conv c1(2) -> bn(gamma [-0.5, 2]) -> relu -> gap -> fc: scores |gamma| = 0.5, 2. */
  @Test
  void bnScaleReadsGammaAndRejectsGroupsWithoutBatchNorm() {
    Graph g = GraphBuilder.create(0).input("x", 2, 3, 3).conv2d("c1", 2, 1, 1, 0).batchNorm("bn").relu()
        .globalAvgPool().linear("fc", 2).build();
    g.parameter("bn.gamma").setValue(Tensor.of(new float[] {-0.5f, 2f}, 2));
    PruningGroup grp = onlyGroup(g);
    assertArrayEquals(new double[] {0.5, 2}, new BnScaleImportance().score(grp, ctx(g, GroupReduction.SUM)), 1e-7);
    Graph lin = StructuredFixtures.twoLinear();
    PruningGroup lg = onlyGroup(lin);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BnScaleImportance().score(lg, ctx(lin, GroupReduction.SUM)));
    assertTrue(e.getMessage().contains(lg.root()) && e.getMessage().contains("BatchNorm"), e.getMessage());
  }

  @Test
  void randomIsSeededAndInUnitInterval() {
    Graph g = StructuredFixtures.convNet();
    PruningGroup grp = DependencyGraph.build(g).groups().get(0);
    RandomImportance r = new RandomImportance();
    double[] a = r.score(grp, new GroupScoringContext(g, Map.of(), GroupReduction.SUM, 42));
    double[] b = r.score(grp, new GroupScoringContext(g, Map.of(), GroupReduction.SUM, 42));
    double[] c = r.score(grp, new GroupScoringContext(g, Map.of(), GroupReduction.SUM, 43));
    assertArrayEquals(a, b);
    assertFalse(java.util.Arrays.equals(a, c));
    for (double v : a) {
      assertTrue(v >= 0 && v < 1, "score " + v);
    }
  }

  @Test
  void registryFindsShortNamesAndClassNames() {
    assertEquals(List.of("bn-scale", "l1", "l2", "random", "taylor"), GroupImportances.names());
    assertInstanceOf(TaylorImportance.class, GroupImportances.byName("Taylor"));
    assertInstanceOf(L2Importance.class, GroupImportances.byName(L2Importance.class.getName()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupImportances.byName("l3"));
    assertTrue(e.getMessage().contains("l3") && e.getMessage().contains("bn-scale"), e.getMessage());
  }
}
