package org.prunekit.criteria.structured;

/**
 * How a group's scores are scaled before {@link Ranking#GLOBAL global} ranking, so that groups
 * whose members differ in size or scale can be compared.
 */
public enum ScoreNormalizer {
  /** Raw scores. */
  NONE,
  /** Divide by the group's mean score (Torch-Pruning's {@code "mean"}). */
  MEAN,
  /** Divide by the group's largest score. */
  MAX;

  /** A normalised copy of {@code scores}; a group whose scale is 0 is left as is. */
  public double[] apply(double[] scores) {
    double scale = 1;
    if (this == MEAN) {
      double s = 0;
      for (double v : scores) {
        s += v;
      }
      scale = s / scores.length;
    } else if (this == MAX) {
      scale = Double.NEGATIVE_INFINITY;
      for (double v : scores) {
        scale = Math.max(scale, v);
      }
    }
    double[] r = scores.clone();
    if (scale != 0 && Double.isFinite(scale) && this != NONE) {
      for (int i = 0; i < r.length; i++) {
        r[i] /= scale;
      }
    }
    return r;
  }
}
