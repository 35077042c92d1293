package org.prunekit.dynamic.probeflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ProbeFlow (spec {@code algorithms.md} §3.2, verified from the authors' code): one lookahead probe
 * measures how curved the flow is for this batch and picks the number of Euler steps.
 *
 * <ol>
 *   <li>{@code v0 = v(x0, 0)}, {@code x_mid = x0 + Δp v0}, {@code v_mid = v(x_mid, Δp)}.
 *   <li>{@code sim = min_b cos(v0_b, v_mid_b)} over the batch (conservative: one curved sample
 *       decides for all); {@code mag = min_b min(|v0|,|v_mid|)/max(...)} is only reported.
 *   <li>{@code N = clip(2 + 2 floor((1 - sim) / ε), 2, N_max)}.
 *   <li>{@code N == 2}: the probe is reused, {@code x1 = x_mid + (1 - Δp) v_mid} (2 evaluations).
 *       Otherwise Euler restarts from {@code x0} with {@code dt = 1/N}, its first step reusing
 *       {@code v0}: {@code N + 1} evaluations in all (the probe's {@code v_mid} is spent).
 * </ol>
 *
 * <p>Defaults: {@code ε = 0.008}, {@code N_max = 20}, {@code Δp = 0.5}. A sample whose two probe
 * velocities are both exactly zero counts as straight ({@code cos = 1}); PyTorch's {@code
 * cosine_similarity} would give 0 there.
 *
 * <pre>{@code
 * ProbeFlowSolver pf = ProbeFlowSolver.builder().optEpsilon(0.008).build();
 * SolveResult r = pf.solve(field, noise, positions);
 * r.x();          // the action chunks
 * r.steps();      // N
 * r.cost();       // NFE, MACs, steps, sim, mag
 * }</pre>
 */
public final class ProbeFlowSolver implements OdeSolver {
  /** The spec's curvature threshold ε. */
  public static final double DEFAULT_EPSILON = 0.008;
  /** The spec's largest step count. */
  public static final int DEFAULT_MAX_STEPS = 20;
  /** The spec's probe step Δp. */
  public static final double DEFAULT_PROBE_STEP = 0.5;

  private static final Logger LOG = LoggerFactory.getLogger(ProbeFlowSolver.class);

  private final double epsilon;
  private final int maxSteps;
  private final double probeStep;

  private ProbeFlowSolver(Builder b) {
    this.epsilon = b.epsilon;
    this.maxSteps = b.maxSteps;
    this.probeStep = b.probeStep;
  }

  /** A builder with the spec's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A solver with the spec's defaults. */
  public static ProbeFlowSolver withDefaults() {
    return builder().build();
  }

  /** The curvature threshold ε. */
  public double epsilon() {
    return epsilon;
  }

  /** The largest step count {@code N_max}. */
  public int maxSteps() {
    return maxSteps;
  }

  /** The probe step Δp. */
  public double probeStep() {
    return probeStep;
  }

  @Override
  public String name() {
    return "probeflow";
  }

  /**
   * The step rule: {@code N = clip(2 + 2 floor((1 - sim) / ε), 2, N_max)}.
   *
   * @throws IllegalArgumentException if {@code sim} is NaN
   */
  public int stepsFor(double sim) {
    if (Double.isNaN(sim)) {
      throw new IllegalArgumentException("ProbeFlow similarity is NaN");
    }
    double curv = 1.0 - sim;
    double k = Math.floor(curv / epsilon);
    double n = 2.0 + 2.0 * k;
    return (int) Math.max(2, Math.min(maxSteps, n));
  }

  @Override
  public SolveResult solve(VelocityField field, float[][] x0, float[][] condition) {
    FieldCalls calls = FieldCalls.start(name(), field, x0, condition);
    float dp = (float) probeStep;
    float[][] v0 = calls.eval(x0, 0.0, 0);
    float[][] xMid = FieldCalls.axpy(x0, dp, v0);
    float[][] vMid = calls.eval(xMid, probeStep, 0);
    double sim = Double.POSITIVE_INFINITY;
    double mag = Double.POSITIVE_INFINITY;
    for (int b = 0; b < x0.length; b++) {
      double dot = 0;
      double n0 = 0;
      double n1 = 0;
      for (int i = 0; i < v0[b].length; i++) {
        dot += (double) v0[b][i] * vMid[b][i];
        n0 += (double) v0[b][i] * v0[b][i];
        n1 += (double) vMid[b][i] * vMid[b][i];
      }
      double a = Math.sqrt(n0);
      double c = Math.sqrt(n1);
      double cos = (a == 0 && c == 0) ? 1.0 : (a == 0 || c == 0) ? 0.0 : dot / (a * c);
      double ratio = (a == 0 && c == 0) ? 1.0 : Math.min(a, c) / Math.max(a, c);
      sim = Math.min(sim, cos);
      mag = Math.min(mag, ratio);
    }
    int n = stepsFor(sim);
    float[][] x;
    if (n == 2) {
      x = FieldCalls.axpy(xMid, 1.0f - dp, vMid);
    } else {
      x = EulerSolver.continueFrom(calls, x0, v0, n);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("probeflow batch={} sim={} mag={} steps={} nfe={}", x0.length, sim, mag, n, calls.nfe());
    }
    return SolveResult.of(field, x, n, calls.nfe(), sim, mag);
  }

  /** Builder; every setting is optional and validated at {@link #build()}. */
  public static final class Builder {
    private double epsilon = DEFAULT_EPSILON;
    private int maxSteps = DEFAULT_MAX_STEPS;
    private double probeStep = DEFAULT_PROBE_STEP;

    private Builder() {}

    /** The curvature threshold ε, > 0 and finite (default 0.008). */
    public Builder optEpsilon(double epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    /** The largest step count {@code N_max}, >= 2 (default 20). */
    public Builder optMaxSteps(int maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    /** The probe step Δp, strictly between 0 and 1 (default 0.5). */
    public Builder optProbeStep(double probeStep) {
      this.probeStep = probeStep;
      return this;
    }

    /**
     * Builds the solver.
     *
     * @throws IllegalArgumentException naming the setting and value out of range
     */
    public ProbeFlowSolver build() {
      if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
        throw new IllegalArgumentException("ProbeFlow epsilon must be > 0 and finite, got " + epsilon);
      }
      if (maxSteps < 2) {
        throw new IllegalArgumentException("ProbeFlow maxSteps (N_max) must be >= 2, got " + maxSteps);
      }
      if (!(probeStep > 0 && probeStep < 1)) {
        throw new IllegalArgumentException("ProbeFlow probeStep (Δp) must be in (0, 1), got " + probeStep);
      }
      return new ProbeFlowSolver(this);
    }
  }
}
