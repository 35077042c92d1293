package org.prunekit.criteria.lamp;

import java.util.Arrays;

/**
 * LAMP scores of one layer (spec B4). With the layer's weights ordered so that {@code |w_(1)| <=
 * ... <= |w_(n)|} (ties: lower index first),
 *
 * <pre>
 *   LAMP(u) = w_(u)^2 / sum_{v >= u} w_(v)^2
 * </pre>
 *
 * Squares and suffix sums are exact/accumulated in double, from the largest weight down, so the
 * largest weight of a layer scores exactly 1 and the scores are non-decreasing along that order.
 * A weight whose suffix energy is zero (only possible in an all-zero tail) scores 0, except the
 * largest entry, which scores 1 by definition, so even an all-zero layer keeps one entry.
 */
public final class LampScores {
  private LampScores() {}

  /** LAMP scores of every entry of {@code w}, at the entries' own positions. */
  public static double[] of(float[] w) {
    int[] order = ascendingOrder(w, null);
    double[] sorted = sortedScores(w, order);
    double[] out = new double[w.length];
    for (int u = 0; u < order.length; u++) {
      out[order[u]] = sorted[u];
    }
    return out;
  }

  /**
   * Indices of the entries with {@code mask == null || mask[i] != 0}, ordered by ascending {@code
   * |w|}, ties by ascending index.
   */
  static int[] ascendingOrder(float[] w, float[] mask) {
    int n = 0;
    long[] keys = new long[w.length];
    for (int i = 0; i < w.length; i++) {
      if (mask == null || mask[i] != 0f) {
        // For non-negative floats the raw bits order like the values (|-0.0| is +0.0).
        keys[n++] = ((long) Float.floatToIntBits(Math.abs(w[i])) << 32) | i;
      }
    }
    Arrays.sort(keys, 0, n);
    int[] order = new int[n];
    for (int u = 0; u < n; u++) {
      order[u] = (int) keys[u];
    }
    return order;
  }

  /** LAMP scores along {@code order} (ascending |w|): entry {@code u} belongs to {@code w[order[u]]}. */
  static double[] sortedScores(float[] w, int[] order) {
    int n = order.length;
    double[] s = new double[n];
    double suffix = 0;
    for (int u = n - 1; u >= 0; u--) {
      double sq = (double) w[order[u]] * w[order[u]];
      suffix += sq;
      s[u] = suffix > 0 ? sq / suffix : (u == n - 1 ? 1.0 : 0.0);
    }
    return s;
  }
}
