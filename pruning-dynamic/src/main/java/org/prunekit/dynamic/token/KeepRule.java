package org.prunekit.dynamic.token;

import java.util.Arrays;

/**
 * Which tokens survive: the count rule and the ranking.
 *
 * <p>Count: of {@code n} unprotected tokens, {@code keep = max(1, min(n, floor(r * n + 0.5)))}
 * are kept for keep ratio {@code r} in (0, 1] (round half up, at least one). Protected tokens are
 * always kept on top. 49 patch tokens: r = 0.75 keeps 37, r = 0.5 keeps 25 (24.5 rounds up).
 *
 * <p>Ranking: highest score first; ties broken by the lower token index; the kept indices are
 * returned in ascending order so the sequence keeps its original order.
 */
public final class KeepRule {
  private KeepRule() {}

  /**
   * The number of unprotected tokens kept.
   *
   * @throws IllegalArgumentException if {@code ratio} is not in (0, 1] or {@code unprotected < 1}
   */
  public static int keepCount(int unprotected, double ratio) {
    checkRatio(ratio);
    if (unprotected < 1) {
      throw new IllegalArgumentException("need at least one unprotected token, got " + unprotected);
    }
    long k = (long) Math.floor(ratio * unprotected + 0.5);
    return (int) Math.max(1, Math.min(unprotected, k));
  }

  /**
   * Checks a keep ratio.
   *
   * @throws IllegalArgumentException naming the value when it is not in (0, 1]
   */
  public static void checkRatio(double ratio) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("keep ratio must be in (0, 1], got " + ratio);
    }
  }

  /**
   * The kept token indices of one sample, ascending: every protected token and the {@code keep}
   * best-scored others.
   *
   * @param scores one score per token
   * @param isProtected per token, whether it is never pruned (same length as {@code scores})
   * @param keep unprotected tokens to keep (at most their number)
   * @throws IllegalStateException naming the token whose score is not finite
   */
  public static int[] select(float[] scores, boolean[] isProtected, int keep) {
    int n = scores.length;
    int protectedCount = 0;
    for (int i = 0; i < n; i++) {
      if (isProtected[i]) {
        protectedCount++;
      } else if (!Float.isFinite(scores[i])) {
        throw new IllegalStateException("token " + i + " has a non-finite importance score " + scores[i]);
      }
    }
    if (keep > n - protectedCount) {
      throw new IllegalArgumentException("cannot keep " + keep + " of " + (n - protectedCount) + " unprotected tokens");
    }
    Integer[] order = new Integer[n - protectedCount];
    int o = 0;
    for (int i = 0; i < n; i++) {
      if (!isProtected[i]) {
        order[o++] = i;
      }
    }
    Arrays.sort(order, (a, b) -> {
      int c = Float.compare(scores[b], scores[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    int[] kept = new int[protectedCount + keep];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (isProtected[i]) {
        kept[k++] = i;
      }
    }
    for (int i = 0; i < keep; i++) {
      kept[k++] = order[i];
    }
    Arrays.sort(kept);
    return kept;
  }
}
