package org.prunekit.criteria.gaussian;

import java.util.Locale;

/**
 * Outcome of {@link GaussianPruning#prune}: which Gaussians survive and why.
 *
 * @param keptIndices indices (ascending) of the Gaussians whose maximum weight exceeds the threshold
 * @param maxWeights the per-Gaussian maxima the decision was based on
 * @param threshold the threshold used (keep iff {@code max weight > threshold})
 * @param views number of views composited
 */
public record GaussianPruningResult(int[] keptIndices, MaxWeights maxWeights, double threshold, int views) {
  /** Copies the indices and checks they are ascending and in range. */
  public GaussianPruningResult {
    keptIndices = keptIndices.clone();
    for (int i = 0; i < keptIndices.length; i++) {
      int k = keptIndices[i];
      if (k < 0 || k >= maxWeights.size() || (i > 0 && k <= keptIndices[i - 1])) {
        throw new IllegalArgumentException("kept indices must be ascending and in [0, " + maxWeights.size()
            + "), got " + keptIndices[i] + " at position " + i);
      }
    }
  }

  /** A copy of the kept indices (ascending). */
  @Override
  public int[] keptIndices() {
    return keptIndices.clone();
  }

  /** Number of Gaussians before pruning. */
  public int total() {
    return maxWeights.size();
  }

  /** Number kept. */
  public int kept() {
    return keptIndices.length;
  }

  /** Number removed. */
  public int removed() {
    return total() - kept();
  }

  /** Number of Gaussians that never contributed to any pixel (maximum weight 0). */
  public int neverVisible() {
    int c = 0;
    for (float w : maxWeights.weights()) {
      if (w == 0f) {
        c++;
      }
    }
    return c;
  }

  /** Whether Gaussian {@code i} was kept. */
  public boolean isKept(int i) {
    return java.util.Arrays.binarySearch(keptIndices, i) >= 0;
  }

  /** The pruned scene: {@code cloud.select(keptIndices())} (the given cloud is unchanged). */
  public GaussianCloud apply(GaussianCloud cloud) {
    if (cloud.size() != total()) {
      throw new IllegalArgumentException("result is for " + total() + " Gaussians, cloud has " + cloud.size());
    }
    return cloud.select(keptIndices);
  }

  /** A one-line summary. */
  public String report() {
    return String.format(Locale.ROOT,
        "max-weight pruning: kept %d of %d Gaussians (removed %d, %d never visible) at threshold %.4g over %d view(s),"
            + " %.1f ms/view", kept(), total(), removed(), neverVisible(), threshold, views,
        1000 * maxWeights.meanSecondsPerView());
  }
}
