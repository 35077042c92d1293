package org.prunekit.criteria.structured;

/** How much of the final target is reached after step {@code k} of {@code n}. */
public enum PruningSchedule {
  /** {@code k / n}: equal steps. */
  LINEAR,
  /**
   * {@code 1 - (1 - k/n)^3} (Zhu and Gupta): large steps first while the network is redundant,
   * small steps at the end.
   */
  CUBIC;

  /**
   * The fraction of the target reached after step {@code k}.
   *
   * @param k the step, {@code 0..n}
   * @param n the number of steps, {@code >= 1}
   * @return a value in {@code [0, 1]}, 1 at {@code k == n}
   */
  public double fraction(int k, int n) {
    if (n < 1 || k < 0 || k > n) {
      throw new IllegalArgumentException("step " + k + " of " + n + " is out of range");
    }
    double t = (double) k / n;
    return this == LINEAR ? t : 1 - Math.pow(1 - t, 3);
  }
}
