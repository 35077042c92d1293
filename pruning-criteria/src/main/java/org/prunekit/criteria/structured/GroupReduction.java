package org.prunekit.criteria.structured;

/**
 * How a {@link GroupImportance} combines the per-member scores of one unit into the unit's score.
 *
 * <p>Only members that own at least one index of the unit count: a unit that a concat branch does
 * not cover is scored from the members that do cover it.
 */
public enum GroupReduction {
  /** The sum of the member scores (Torch-Pruning's default). */
  SUM,
  /** The mean of the member scores over the members that own part of the unit. */
  MEAN;

  /**
   * Reduces {@code count} member scores whose sum is {@code sum}.
   *
   * @return the sum, or the mean (0 when {@code count == 0})
   */
  public double reduce(double sum, int count) {
    if (this == SUM) {
      return sum;
    }
    return count == 0 ? 0.0 : sum / count;
  }
}
