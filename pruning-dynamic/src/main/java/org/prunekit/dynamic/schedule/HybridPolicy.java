package org.prunekit.dynamic.schedule;

/**
 * The hybrid network policy of FlashU (spec 3.5 (b)): the pruned network for most steps, the full
 * network for the last {@code τ} steps, {@code use_full(step) = step > T - τ} (1-indexed). FlashU's
 * defaults are {@code T = 35}, {@code τ = 11} (full on steps 25..35). The spec notes that the paper
 * words this as the "first τT steps" while the code applies it to the final (low-noise) steps;
 * this class follows the code.
 *
 * @param totalSteps {@code T >= 1}
 * @param fullSteps {@code τ} in {@code [0, T]}
 */
public record HybridPolicy(int totalSteps, int fullSteps) {
  /**
   * Validates the step counts.
   *
   * @throws IllegalArgumentException if {@code T < 1}, {@code τ < 0} or {@code τ > T} (naming both)
   */
  public HybridPolicy {
    if (totalSteps < 1) {
      throw new IllegalArgumentException("hybrid policy needs at least 1 step, got T = " + totalSteps);
    }
    if (fullSteps < 0 || fullSteps > totalSteps) {
      throw new IllegalArgumentException("hybrid policy: full-network steps τ = " + fullSteps
          + " must be in [0, T = " + totalSteps + "]");
    }
  }

  /** FlashU's default: {@code T = 35, τ = 11}. */
  public static HybridPolicy flashUDefault() {
    return new HybridPolicy(35, 11);
  }

  /**
   * True when step {@code step} uses the full network: {@code step > T - τ}.
   *
   * @throws IllegalArgumentException if the step is outside {@code [1, T]}
   */
  public boolean useFull(int step) {
    SamplerSchedule.checkStep(step, totalSteps);
    return step > totalSteps - fullSteps;
  }

  /** The network of step {@code step}. */
  public NetworkChoice network(int step) {
    return useFull(step) ? NetworkChoice.FULL : NetworkChoice.PRUNED;
  }
}
