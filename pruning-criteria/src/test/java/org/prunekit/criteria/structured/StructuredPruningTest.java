package org.prunekit.criteria.structured;

import org.junit.jupiter.api.extension.ExtendWith;
import org.prunekit.criteria.OneDnnOff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;

@ExtendWith(OneDnnOff.class)
class StructuredPruningTest {
  private static final String C1 = "c1 output channels";
  private static final String C2 = "c2 output channels";
  private static final String C3 = "c3 output channels";

  private static StructuredSpec.Builder l1() {
    return StructuredSpec.builder().setImportance("l1");
  }

  private static int[] dims(Graph g, String param) {
    return g.parameter(param).shape().dims();
  }

  /*
   * convNet: c1 20 -> 10, c2 16 -> 8 at ratio 0.5. Parameters by hand:
   * before: c1 20*3*9 + 20 = 560, bn1 4*20 = 80, c2 16*20*9 + 16 = 2896, fc 10*16 + 10 = 170 -> 3706
   * after:  c1 10*27 + 10 = 280, bn1 40, c2 8*10*9 + 8 = 728, fc 10*8 + 10 = 90 -> 1138
   * so a channel ratio of 0.5 removed 1 - 1138/3706 = 69.3% of the parameters.
   */
  @Test
  void channelRatioHalvesEveryGroupAndExplainsParameters() {
    Graph g = StructuredFixtures.convNet();
    Map<String, Tensor> snap = StructuredFixtures.snapshot(g);
    StructuredResult r = StructuredPruning.prune(g, l1().setChannelRatio(0.5).build());
    assertEquals(Map.of(C1, 10, C2, 8), StructuredPruning.keptByRoot(r.report()));
    assertArrayEquals(new int[] {10, 3, 3, 3}, dims(r.pruned(), "c1.weight"));
    assertArrayEquals(new int[] {8, 10, 3, 3}, dims(r.pruned(), "c2.weight"));
    assertArrayEquals(new int[] {10, 8}, dims(r.pruned(), "fc.weight"), "classifier keeps its 10 outputs");
    StructuredReport rep = r.report();
    assertEquals(3706, rep.paramsBefore());
    assertEquals(1138, rep.paramsAfter());
    assertEquals(1 - 1138.0 / 3706, rep.paramFractionRemoved(), 1e-12);
    assertEquals(CostModel.of(r.pruned(), 1).total().macs(), rep.macsAfter());
    assertEquals(0.5, rep.unitFractionRemoved(), 1e-12);
    assertTrue(rep.explain().contains("channel ratio 0.5 ") && rep.explain().contains("69.3% of parameters"),
        rep.explain());
    assertTrue(rep.toString().contains(C1) && rep.toString().contains("20 -> 10"), rep.toString());
    assertEquals(1138L, rep.toMap().get("paramsAfter"));
    assertEquals(2, ((java.util.List<?>) rep.toMap().get("groups")).size());
    assertTrue(StructuredFixtures.unchanged(g, snap), "original graph unchanged");
    assertEquals(8, r.plan().unitsRemoved() - 10);
  }

  @Test
  void prunedGraphRunsWithTheExpectedOutputShape() {
    Graph g = StructuredFixtures.convNet();
    StructuredResult r = StructuredPruning.prune(g, l1().setMacBudget(0.5).optRoundTo(4).build());
    try (GraphExecutor ex = GraphExecutor.create(r.pruned())) {
      Tensor out = ex.predict(StructuredFixtures.input(g, 2));
      assertArrayEquals(new int[] {2, 10}, out.shape().dims());
      assertTrue(out.firstNonFinite() < 0);
    }
  }

  /* roundTo 8: 20 channels at 0.5 want 10, rounded up to 16 (a ratio never removes more than asked); 16 keep 8. */
  @Test
  void roundToRoundsRemainingWidthsUp() {
    Graph g = StructuredFixtures.convNet();
    StructuredResult r = StructuredPruning.prune(g, l1().setChannelRatio(0.5).optRoundTo(8).build());
    assertEquals(Map.of(C1, 16, C2, 8), StructuredPruning.keptByRoot(r.report()));
    StructuredResult r16 = StructuredPruning.prune(g, l1().setChannelRatio(0.7).optRoundTo(16).build());
    assertEquals(Map.of(C1, 16, C2, 16), StructuredPruning.keptByRoot(r16.report()), "20 * 0.3 = 6 -> 16");
  }

  @Test
  void neverPrunesToZero() {
    Graph g = StructuredFixtures.convNet();
    assertEquals(Map.of(C1, 1, C2, 1),
        StructuredPruning.keptByRoot(StructuredPruning.prune(g, l1().setChannelRatio(0.99).build()).report()));
    assertEquals(Map.of(C1, 8, C2, 8), StructuredPruning.keptByRoot(
        StructuredPruning.prune(g, l1().setChannelRatio(0.99).optRoundTo(8).build()).report()),
        "keeps at least roundTo units");
    Map<String, Integer> global = StructuredPruning.keptByRoot(
        StructuredPruning.prune(g, l1().setChannelRatio(0.9).optRanking(Ranking.GLOBAL).build()).report());
    assertEquals(36 - 32, global.get(C1) + global.get(C2), "floor(0.9 * 36) = 32 removed: " + global);
    assertTrue(global.get(C1) >= 1 && global.get(C2) >= 1, global.toString());
    UnmeetableTargetException e = assertThrows(UnmeetableTargetException.class, () -> StructuredPruning.prune(g,
        l1().setChannelRatio(0.99).optRanking(Ranking.GLOBAL).build()));
    assertEquals(UnmeetableTargetException.Constraint.NEVER_EMPTY, e.constraint());
    assertTrue(e.getMessage().contains("at most 34 of 36"), e.getMessage());
  }

  @Test
  void maxRatioCapsEachGroup() {
    Graph g = StructuredFixtures.convNet();
    StructuredResult r = StructuredPruning.prune(g, l1().setChannelRatio(0.6).optMaxRatio("c2", 0.25).build());
    assertEquals(Map.of(C1, 8, C2, 12), StructuredPruning.keptByRoot(r.report()));
  }

  @Test
  void leftAloneNodesKeepEveryShape() {
    Graph g = StructuredFixtures.threeConv();
    StructuredResult r = StructuredPruning.prune(g, l1().setChannelRatio(0.5).optLeaveAlone("c1").build());
    assertEquals(Map.of(C1, 20, C2, 8, C3, 6), StructuredPruning.keptByRoot(r.report()));
    assertArrayEquals(new int[] {20, 3, 3, 3}, dims(r.pruned(), "c1.weight"));
    assertArrayEquals(new int[] {20}, dims(r.pruned(), "bn1.gamma"));
    assertArrayEquals(new int[] {8, 20, 3, 3}, dims(r.pruned(), "c2.weight"));
    assertArrayEquals(g.parameter("c1.weight").value().data(), r.pruned().parameter("c1.weight").value().data());
    assertTrue(r.report().groups().get(0).leftAlone());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StructuredPruning.prune(g, l1().setChannelRatio(0.5).optLeaveAlone("conv9").build()));
    assertTrue(e.getMessage().contains("conv9"), e.getMessage());
  }

  @Test
  void macBudgetIsMetAndClose() {
    Graph g = StructuredFixtures.threeConv();
    for (Ranking ranking : Ranking.values()) {
      StructuredResult r = StructuredPruning.prune(g, l1().setMacBudget(0.5).optRanking(ranking).build());
      long dense = CostModel.of(g, 1).total().macs();
      long kept = CostModel.of(r.pruned(), 1).total().macs();
      assertEquals(kept, r.report().macsAfter());
      assertTrue(kept <= 0.5 * dense, ranking + ": kept " + kept + " of " + dense);
      assertTrue(kept >= 0.44 * dense, ranking + ": not close: kept " + kept + " of " + dense);
    }
  }

  @Test
  void paramBudgetIsMet() {
    Graph g = StructuredFixtures.threeConv();
    StructuredResult r = StructuredPruning.prune(g, l1().setParamBudget(0.3).optRanking(Ranking.GLOBAL).build());
    long dense = CostModel.of(g, 1).total().params();
    assertTrue(r.report().paramsAfter() <= 0.3 * dense);
    assertTrue(r.report().paramsAfter() >= 0.25 * dense, r.report().explain());
    assertEquals(CostModel.of(r.pruned(), 1).total().params(), r.report().paramsAfter());
  }

  /* c1's weights are 100x smaller: raw global ranking strips c1 down, local takes half of each. */
  @Test
  void globalAndLocalRankingDifferWithLayerScales() {
    Graph g = StructuredFixtures.convNet();
    StructuredFixtures.scale(g, "c1.weight", 0.01f);
    StructuredFixtures.scale(g, "bn1.gamma", 0.01f);
    StructuredFixtures.scale(g, "c2.weight", 0.01f);
    StructuredSpec.Builder b = StructuredSpec.builder().setImportance("l2").setChannelRatio(0.5)
        .optNormalizer(ScoreNormalizer.NONE);
    Map<String, Integer> local = StructuredPruning.keptByRoot(StructuredPruning.prune(g, b.build()).report());
    Map<String, Integer> global = StructuredPruning.keptByRoot(
        StructuredPruning.prune(g, b.optRanking(Ranking.GLOBAL).build()).report());
    assertEquals(Map.of(C1, 10, C2, 8), local);
    assertNotEquals(local, global);
    assertEquals(18, global.get(C1) + global.get(C2), "global removes floor(0.5 * 36) units in all");
    assertTrue(global.get(C1) < 10, "the small-scale group loses more: " + global);
  }

  @Test
  void badTargetsAreRejectedAndLeaveTheGraphUnchanged() {
    Graph g = StructuredFixtures.convNet();
    Map<String, Tensor> snap = StructuredFixtures.snapshot(g);
    assertThrows(IllegalArgumentException.class, () -> l1().setChannelRatio(1.0));
    assertThrows(IllegalArgumentException.class, () -> l1().setParamBudget(0));
    assertThrows(IllegalArgumentException.class, () -> l1().setMacBudget(-0.1));
    assertThrows(IllegalArgumentException.class, () -> StructuredSpec.builder().setChannelRatio(0.5).build());

    UnmeetableTargetException parts = assertThrows(UnmeetableTargetException.class,
        () -> StructuredPruning.prune(g, l1().setMacBudget(0.005).build()));
    assertEquals(UnmeetableTargetException.Constraint.UNPRUNABLE_PARTS, parts.constraint());
    assertTrue(parts.getMessage().contains("MAC budget 0.005 (keep at most 0.5% of MACs)") && parts.getMessage().contains("cannot be pruned"),
        parts.getMessage());

    UnmeetableTargetException max = assertThrows(UnmeetableTargetException.class,
        () -> StructuredPruning.prune(g, l1().setMacBudget(0.3).optMaxRatio(0.3).build()));
    assertEquals(UnmeetableTargetException.Constraint.MAX_RATIO, max.constraint());
    assertTrue(max.getMessage().contains("max ratio"), max.getMessage());

    UnmeetableTargetException round = assertThrows(UnmeetableTargetException.class,
        () -> StructuredPruning.prune(g, l1().setMacBudget(0.05).optRoundTo(16).build()));
    assertEquals(UnmeetableTargetException.Constraint.ROUND_TO, round.constraint());
    assertTrue(round.getMessage().contains("roundTo 16"), round.getMessage());

    UnmeetableTargetException wide = assertThrows(UnmeetableTargetException.class,
        () -> StructuredPruning.prune(g, l1().setChannelRatio(0.5).optRoundTo(64).build()));
    assertEquals(UnmeetableTargetException.Constraint.ROUND_TO, wide.constraint());

    UnmeetableTargetException globalMax = assertThrows(UnmeetableTargetException.class,
        () -> StructuredPruning.prune(g, l1().setChannelRatio(0.5).optRanking(Ranking.GLOBAL).optMaxRatio(0.3)
            .build()));
    assertEquals(UnmeetableTargetException.Constraint.MAX_RATIO, globalMax.constraint());

    UnmeetableTargetException none = assertThrows(UnmeetableTargetException.class,
        () -> StructuredPruning.prune(g, l1().setChannelRatio(0.5).optLeaveAlone("c1", "c2").build()));
    assertEquals(UnmeetableTargetException.Constraint.NO_PRUNABLE_GROUP, none.constraint());

    IllegalArgumentException bn = assertThrows(IllegalArgumentException.class, () -> StructuredPruning.prune(g,
        StructuredSpec.builder().setImportance("bn-scale").setChannelRatio(0.5).build()));
    assertTrue(bn.getMessage().contains(C2), bn.getMessage());
    IllegalArgumentException taylor = assertThrows(IllegalArgumentException.class, () -> StructuredPruning.prune(g,
        StructuredSpec.builder().setImportance("taylor").setChannelRatio(0.5).build()));
    assertTrue(taylor.getMessage().contains("gradients"), taylor.getMessage());
    assertTrue(StructuredFixtures.unchanged(g, snap), "graph unchanged after every failure");
  }

  @Test
  void taylorWithCalibrationBatchesPrunesAndRuns() {
    Graph g = StructuredFixtures.convNet();
    float[] labels = {3, 7};
    StructuredCalibration cal = StructuredCalibration.fromBatches(g,
        ai.djl.training.loss.Loss.softmaxCrossEntropyLoss(),
        java.util.List.of(CalibrationBatch.of(StructuredFixtures.input(g, 2), Tensor.of(labels, 2))));
    assertArrayEquals(new int[] {20, 3, 3, 3}, cal.gradients().get("c1.weight").shape().dims());
    StructuredResult r = StructuredPruning.prune(g,
        StructuredSpec.builder().setImportance("taylor").setChannelRatio(0.25).build(), cal);
    assertEquals(Map.of(C1, 15, C2, 12), StructuredPruning.keptByRoot(r.report()));
    try (GraphExecutor ex = GraphExecutor.create(r.pruned())) {
      assertArrayEquals(new int[] {2, 10}, ex.predict(StructuredFixtures.input(g, 2)).shape().dims());
    }
  }

  /* Attention heads and MLP neurons: x[5,8] -> proj(8) -> mha(4 heads of 2) -> fc1(12) -> gelu -> fc2(3). */
  @Test
  void transformerGroupsPruneAndRun() {
    org.prunekit.core.graph.GraphBuilder b = org.prunekit.core.graph.GraphBuilder.create(5).input("x", 5, 8)
        .linear("proj", 8);
    b.node("attn", new org.prunekit.core.graph.op.Attention(8, 4, 4, 2, false, 0f, true), "proj");
    Graph g = StructuredFixtures.randomized(b.linear("fc1", 12)
        .activation(org.prunekit.core.graph.op.Activation.Kind.GELU).linear("fc2", 3).build(), 11);
    StructuredResult r = StructuredPruning.prune(g, l1().setChannelRatio(0.5).build());
    Map<String, Integer> kept = StructuredPruning.keptByRoot(r.report());
    assertTrue(kept.values().stream().allMatch(k -> k >= 1), kept.toString());
    assertEquals(r.report().unitsBefore() - r.report().unitsAfter(), r.plan().unitsRemoved());
    assertTrue(r.report().paramsAfter() < r.report().paramsBefore());
    try (GraphExecutor ex = GraphExecutor.create(r.pruned())) {
      assertArrayEquals(new int[] {2, 5, 3}, ex.predict(StructuredFixtures.input(g, 2)).shape().dims());
    }
  }

  @Test
  void normalizersAndReductionsByHand() {
    assertArrayEquals(new double[] {0.5, 1.5}, ScoreNormalizer.MEAN.apply(new double[] {1, 3}), 1e-12);
    assertArrayEquals(new double[] {1.0 / 3, 1}, ScoreNormalizer.MAX.apply(new double[] {1, 3}), 1e-12);
    assertArrayEquals(new double[] {1, 3}, ScoreNormalizer.NONE.apply(new double[] {1, 3}), 1e-12);
    assertArrayEquals(new double[] {0, 0}, ScoreNormalizer.MEAN.apply(new double[] {0, 0}), 1e-12);
    assertEquals(6, GroupReduction.SUM.reduce(6, 3), 1e-12);
    assertEquals(2, GroupReduction.MEAN.reduce(6, 3), 1e-12);
    assertEquals(0, GroupReduction.MEAN.reduce(0, 0), 1e-12);
  }
}
