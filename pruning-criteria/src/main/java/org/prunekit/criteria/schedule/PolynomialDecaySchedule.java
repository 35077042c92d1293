package org.prunekit.criteria.schedule;

/**
 * Gradual magnitude pruning's sparsity schedule (Zhu and Gupta 2017, spec B6), with the formula
 * and parameters of TensorFlow Model Optimization's {@code PolynomialDecay}:
 *
 * <pre>
 *   p(t) = clamp((t - beginStep) / (endStep - beginStep), 0, 1)
 *   s(t) = finalSparsity + (initialSparsity - finalSparsity) * (1 - p(t))^power
 * </pre>
 *
 * Masks are recomputed only at update steps {@code beginStep + i * frequency <= endStep} ({@link
 * #isUpdateStep}); {@link #sparsityAt} is the formula at any step and {@link #targetAt} the
 * sparsity in force at a step (that of the latest update step, constant in between). If {@code
 * endStep - beginStep} is not a multiple of {@code frequency}, the last update comes before
 * {@code endStep} and the final sparsity is not reached, exactly as in tfmot.
 *
 * @param initialSparsity sparsity before and at {@code beginStep}, in {@code [0, 1)}
 * @param finalSparsity sparsity from {@code endStep} on, in {@code [initialSparsity, 1)}
 * @param beginStep first pruning step, {@code >= 0}
 * @param endStep last pruning step, {@code > beginStep}
 * @param frequency steps between mask updates, {@code >= 1} (tfmot's default is 100)
 * @param power the exponent, finite and {@code > 0} (3 = Zhu and Gupta's cubic)
 */
public record PolynomialDecaySchedule(double initialSparsity, double finalSparsity, long beginStep, long endStep,
    long frequency, double power) {
  /** tfmot's default update frequency. */
  public static final long DEFAULT_FREQUENCY = 100;
  /** Zhu and Gupta's cubic exponent. */
  public static final double DEFAULT_POWER = 3;

  /**
   * Validates the parameters.
   *
   * @throws IllegalArgumentException naming the parameter and value at fault
   */
  public PolynomialDecaySchedule {
    if (!(initialSparsity >= 0 && initialSparsity < 1)) {
      throw new IllegalArgumentException("initialSparsity must be in [0, 1), got " + initialSparsity);
    }
    if (!(finalSparsity >= initialSparsity && finalSparsity < 1)) {
      throw new IllegalArgumentException("finalSparsity must be in [initialSparsity=" + initialSparsity
          + ", 1), got " + finalSparsity);
    }
    if (beginStep < 0) {
      throw new IllegalArgumentException("beginStep must be >= 0, got " + beginStep);
    }
    if (endStep <= beginStep) {
      throw new IllegalArgumentException("endStep must be > beginStep=" + beginStep + ", got " + endStep);
    }
    if (frequency < 1) {
      throw new IllegalArgumentException("frequency must be >= 1, got " + frequency);
    }
    if (!(power > 0) || Double.isInfinite(power)) {
      throw new IllegalArgumentException("power must be finite and > 0, got " + power);
    }
  }

  /** The cubic schedule ({@code power = 3}). */
  public static PolynomialDecaySchedule cubic(double initialSparsity, double finalSparsity, long beginStep,
      long endStep, long frequency) {
    return new PolynomialDecaySchedule(initialSparsity, finalSparsity, beginStep, endStep, frequency, DEFAULT_POWER);
  }

  /** The formula's sparsity at {@code step} (clamped outside {@code [beginStep, endStep]}). */
  public double sparsityAt(long step) {
    double p = Math.min(1.0, Math.max(0.0, (double) (step - beginStep) / (endStep - beginStep)));
    if (p == 0.0) {
      // final + (initial - final) * 1 can round away from initial (0.9 + (0.1 - 0.9) = 0.0999...98), which
      // would make the first update prune one weight fewer than floor(initial * n).
      return initialSparsity;
    }
    return finalSparsity + (initialSparsity - finalSparsity) * Math.pow(1.0 - p, power);
  }

  /** True if masks are recomputed at {@code step}: {@code beginStep <= step <= endStep}, on the grid. */
  public boolean isUpdateStep(long step) {
    return step >= beginStep && step <= endStep && (step - beginStep) % frequency == 0;
  }

  /**
   * The latest update step at or before {@code step}, or {@code -1} before {@code beginStep}.
   */
  public long lastUpdateStep(long step) {
    if (step < beginStep) {
      return -1;
    }
    long t = Math.min(step, endStep);
    return beginStep + (t - beginStep) / frequency * frequency;
  }

  /**
   * The target sparsity in force at {@code step}: {@code initialSparsity} before {@code
   * beginStep}, otherwise {@link #sparsityAt} of the {@link #lastUpdateStep}.
   */
  public double targetAt(long step) {
    long u = lastUpdateStep(step);
    return u < 0 ? initialSparsity : sparsityAt(u);
  }
}
