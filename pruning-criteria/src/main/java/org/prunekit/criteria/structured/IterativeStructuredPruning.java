package org.prunekit.criteria.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.graph.Graph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Iterative prune → fine-tune: the target is reached in {@code steps} steps following a {@link
 * PruningSchedule}; after every step the fine-tuner runs on the smaller graph.
 *
 * <p>Targets are cumulative, relative to the original graph: after step {@code k} a channel ratio
 * {@code r} has removed {@code r * f(k)} of the original units, and a budget {@code b} keeps at most
 * {@code 1 - (1 - b) * f(k)} of the original parameters or MACs, where {@code f} is the schedule's
 * fraction. Each step prunes the current graph (new groups, new scores: importances such as
 * Taylor are recomputed on the fine-tuned weights through the calibration function). The final
 * budget is met exactly as in {@link StructuredPruning}; with rounding, a channel ratio may end
 * slightly below {@code r} (widths are rounded up at every step).
 *
 * <pre>{@code
 * IterativeResult r = IterativeStructuredPruning.builder()
 *     .setSpec(StructuredSpec.builder().setImportance("l1").setMacBudget(0.5).build())
 *     .setSteps(5).optSchedule(PruningSchedule.CUBIC)
 *     .optFineTuner((g, step) -> trainOneEpoch(g))
 *     .build().run(graph);
 * }</pre>
 *
 * <p>Before the first step the whole target is solved once on the original graph, so a target that
 * cannot be met fails before any fine-tuning runs. The original graph is never changed.
 */
public final class IterativeStructuredPruning {
  private static final Logger LOG = LoggerFactory.getLogger(IterativeStructuredPruning.class);

  private final StructuredSpec spec;
  private final int steps;
  private final PruningSchedule schedule;
  private final FineTuner fineTuner;
  private final Function<Graph, StructuredCalibration> calibration;

  private IterativeStructuredPruning(Builder b) {
    this.spec = b.spec;
    this.steps = b.steps;
    this.schedule = b.schedule;
    this.fineTuner = b.fineTuner;
    this.calibration = b.calibration;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every step on {@code original}.
   *
   * @return the final graph and every step's result
   * @throws UnmeetableTargetException before any step if the full target cannot be met
   * @throws IllegalStateException if the fine-tuner returns null
   */
  public IterativeResult run(Graph original) {
    Objects.requireNonNull(original, "original");
    StructuredCalibration first = calibration.apply(original);
    StructuredPruning.prune(original, spec, first); // validates the whole target up front
    CostTotals orig = CostModel.of(original, 1).total();
    Graph current = original;
    double prevCum = 0;
    List<StructuredResult> results = new ArrayList<>();
    for (int k = 1; k <= steps; k++) {
      double f = schedule.fraction(k, steps);
      StructuredTarget stepTarget;
      StructuredTarget t = spec.target();
      if (t instanceof StructuredTarget.ChannelRatio c) {
        double cum = c.ratio() * f;
        double q = 1 - (1 - cum) / (1 - prevCum);
        prevCum = cum;
        if (!(q > 0)) {
          continue;
        }
        stepTarget = new StructuredTarget.ChannelRatio(Math.min(q, c.ratio()));
      } else {
        boolean macs = t instanceof StructuredTarget.MacBudget;
        CostTotals now = CostModel.of(current, 1).total();
        double cumKeep = 1 - (1 - t.value()) * f;
        double stepKeep = Math.min(1.0, cumKeep * (macs ? orig.macs() : orig.params())
            / (double) (macs ? now.macs() : now.params()));
        stepTarget = macs ? new StructuredTarget.MacBudget(stepKeep) : new StructuredTarget.ParamBudget(stepKeep);
      }
      StructuredCalibration cal = k == 1 ? first : calibration.apply(current);
      StructuredResult r = StructuredPruning.prune(current, spec.withTarget(stepTarget), cal, true);
      results.add(r);
      LOG.info("step {}/{}: {}", k, steps, r.report().explain());
      Graph tuned = fineTuner.fineTune(r.pruned(), k);
      if (tuned == null) {
        throw new IllegalStateException("fine-tuner returned null after step " + k);
      }
      current = tuned;
    }
    CostTotals end = CostModel.of(current, 1).total();
    return new IterativeResult(current, results, orig.params(), end.params(), orig.macs(), end.macs());
  }

  /** Builder: {@code setSpec} and {@code setSteps} are required. */
  public static final class Builder {
    private StructuredSpec spec;
    private int steps;
    private PruningSchedule schedule = PruningSchedule.LINEAR;
    private FineTuner fineTuner = (g, step) -> g;
    private Function<Graph, StructuredCalibration> calibration = g -> StructuredCalibration.none();

    private Builder() {}

    /** The final target and how to prune. */
    public Builder setSpec(StructuredSpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
      return this;
    }

    /** The number of prune → fine-tune steps, {@code >= 1}. */
    public Builder setSteps(int steps) {
      this.steps = steps;
      return this;
    }

    /** Linear (default) or cubic. */
    public Builder optSchedule(PruningSchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** Runs after every step (default: none). */
    public Builder optFineTuner(FineTuner fineTuner) {
      this.fineTuner = Objects.requireNonNull(fineTuner, "fineTuner");
      return this;
    }

    /** Computes calibration data (gradients) for the current graph before every step. */
    public Builder optCalibration(Function<Graph, StructuredCalibration> calibration) {
      this.calibration = Objects.requireNonNull(calibration, "calibration");
      return this;
    }

    /**
     * Builds the pruner.
     *
     * @throws IllegalArgumentException if the spec is missing or steps is below 1
     */
    public IterativeStructuredPruning build() {
      if (spec == null) {
        throw new IllegalArgumentException("iterative pruning needs a spec (setSpec)");
      }
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be >= 1, got " + steps);
      }
      return new IterativeStructuredPruning(this);
    }
  }
}
