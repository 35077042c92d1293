package org.prunekit.dynamic.probeflow;

import java.util.Objects;
import org.prunekit.dynamic.InferenceCost;

/**
 * The result of one {@link OdeSolver#solve} call.
 *
 * @param x the end states {@code [batch][dimension]} (owned by the caller, not copied)
 * @param steps integration steps taken (ProbeFlow: its chosen {@code N}; RK45: accepted steps)
 * @param networkEvaluations velocity-field evaluations spent (NFE), rejected RK45 steps included
 * @param sim ProbeFlow's batch similarity {@code min_b cos(v0_b, v_mid_b)}; NaN for other solvers
 * @param mag ProbeFlow's batch magnitude ratio {@code min_b min(|v0|,|v_mid|)/max(...)} (logged
 *     only, as in the authors' code); NaN for other solvers
 * @param cost the work: NFE, and MACs and bytes as the field reports them per evaluation times NFE,
 *     with counters {@code steps} (and {@code sim}, {@code mag} for ProbeFlow)
 */
public record SolveResult(float[][] x, int steps, int networkEvaluations, double sim, double mag, InferenceCost cost) {
  /** Validates the counts. */
  public SolveResult {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(cost, "cost");
    if (steps < 0 || networkEvaluations < 0) {
      throw new IllegalArgumentException("steps and networkEvaluations must be >= 0, got " + steps + ", " + networkEvaluations);
    }
  }

  /** Builds a result whose cost is the field's per-evaluation cost times {@code nfe}. */
  static SolveResult of(VelocityField field, float[][] x, int steps, int nfe, double sim, double mag) {
    int batch = x.length;
    InferenceCost cost =
        InferenceCost.of(field.macsPerEvaluation(batch) * nfe, field.bytesPerEvaluation(batch) * nfe, nfe)
            .withCounter("steps", steps);
    if (Double.isFinite(sim)) {
      cost = cost.withCounter("sim", sim);
    }
    if (Double.isFinite(mag)) {
      cost = cost.withCounter("mag", mag);
    }
    return new SolveResult(x, steps, nfe, sim, mag, cost);
  }
}
