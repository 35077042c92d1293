package org.prunekit.criteria.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.tensor.Tensor;

class IterativeStructuredPruningTest {

  /** Records every call and returns a copy, so the next step must prune the tuned graph. */
  private static final class RecordingTuner implements FineTuner {
    final List<Integer> steps = new ArrayList<>();
    final List<Integer> c1Widths = new ArrayList<>();
    final List<Graph> returned = new ArrayList<>();

    @Override
    public Graph fineTune(Graph graph, int step) {
      steps.add(step);
      c1Widths.add(graph.parameter("c1.weight").shape().get(0));
      Graph tuned = graph.copy();
      returned.add(tuned);
      return tuned;
    }
  }

  /*
   * Ratio 0.5 in 2 linear steps: cumulative 0.25 then 0.5 of the original units.
   * Step 1 prunes 0.25: c1 20 -> 15, c2 16 -> 12. Step 2 prunes 1 - 0.5/0.75 = 1/3 of the current
   * widths: c1 15 -> 10, c2 12 -> 8.
   */
  @Test
  void linearChannelScheduleCallsTheFineTunerAfterEveryStep() {
    Graph g = StructuredFixtures.convNet();
    Map<String, Tensor> snap = StructuredFixtures.snapshot(g);
    RecordingTuner tuner = new RecordingTuner();
    IterativeResult r = IterativeStructuredPruning.builder()
        .setSpec(StructuredSpec.builder().setImportance("l1").setChannelRatio(0.5).build())
        .setSteps(2).optFineTuner(tuner).build().run(g);
    assertEquals(List.of(1, 2), tuner.steps);
    assertEquals(List.of(15, 10), tuner.c1Widths);
    assertEquals(2, r.steps().size());
    assertEquals(Map.of("c1 output channels", 15, "c2 output channels", 12),
        StructuredPruning.keptByRoot(r.steps().get(0).report()));
    assertEquals(Map.of("c1 output channels", 10, "c2 output channels", 8),
        StructuredPruning.keptByRoot(r.steps().get(1).report()));
    for (PruningGroup grp : r.steps().get(1).plan().removals().keySet()) {
      assertTrue(grp.belongsTo(tuner.returned.get(0)), "step 2 prunes the fine-tuned graph of step 1");
    }
    assertSame(tuner.returned.get(1), r.graph());
    assertEquals(1138, r.paramsAfter(), "same widths as one-shot ratio 0.5");
    assertTrue(StructuredFixtures.unchanged(g, snap));
    try (GraphExecutor ex = GraphExecutor.create(r.graph())) {
      assertArrayEquals(new int[] {3, 10}, ex.predict(StructuredFixtures.input(g, 3)).shape().dims());
    }
  }

  /* MAC budget 0.5 in 3 cubic steps: after step k at most 1 - 0.5 * (1 - (1 - k/3)^3) of the MACs remain. */
  @Test
  void cubicMacScheduleMeetsEveryIntermediateBudget() {
    Graph g = StructuredFixtures.threeConv();
    long dense = CostModel.of(g, 1).total().macs();
    List<Long> macs = new ArrayList<>();
    IterativeResult r = IterativeStructuredPruning.builder()
        .setSpec(StructuredSpec.builder().setImportance("l2").setMacBudget(0.5).optRanking(Ranking.GLOBAL).build())
        .setSteps(3).optSchedule(PruningSchedule.CUBIC)
        .optFineTuner((graph, step) -> {
          macs.add(CostModel.of(graph, 1).total().macs());
          return graph;
        }).build().run(g);
    assertEquals(3, macs.size());
    double[] bound = {1 - 0.5 * (1 - Math.pow(2.0 / 3, 3)), 1 - 0.5 * (1 - Math.pow(1.0 / 3, 3)), 0.5};
    for (int k = 0; k < 3; k++) {
      assertTrue(macs.get(k) <= bound[k] * dense, "step " + (k + 1) + ": " + macs.get(k) + " of " + dense);
      assertTrue(macs.get(k) >= (bound[k] - 0.08) * dense, "step " + (k + 1) + " not close: " + macs.get(k));
    }
    assertTrue(macs.get(0) > macs.get(1) && macs.get(1) > macs.get(2));
    assertTrue(r.macFractionKept() <= 0.5);
    assertEquals(0.875, PruningSchedule.CUBIC.fraction(1, 2), 1e-12);
    assertEquals(0.5, PruningSchedule.LINEAR.fraction(1, 2), 1e-12);
  }

  @Test
  void unmeetableTargetFailsBeforeAnyFineTuning() {
    Graph g = StructuredFixtures.convNet();
    RecordingTuner tuner = new RecordingTuner();
    IterativeStructuredPruning p = IterativeStructuredPruning.builder()
        .setSpec(StructuredSpec.builder().setImportance("l1").setMacBudget(0.005).build())
        .setSteps(3).optFineTuner(tuner).build();
    assertThrows(UnmeetableTargetException.class, () -> p.run(g));
    assertEquals(List.of(), tuner.steps);
    assertThrows(IllegalArgumentException.class, () -> IterativeStructuredPruning.builder()
        .setSpec(StructuredSpec.builder().setImportance("l1").setMacBudget(0.5).build()).setSteps(0).build());
    IterativeStructuredPruning nulls = IterativeStructuredPruning.builder()
        .setSpec(StructuredSpec.builder().setImportance("l1").setChannelRatio(0.5).build()).setSteps(2)
        .optFineTuner((graph, step) -> null).build();
    assertThrows(IllegalStateException.class, () -> nulls.run(g));
  }
}
