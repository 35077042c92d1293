package org.prunekit.criteria.gaussian;

/**
 * Per-Gaussian maximum blending weights over a set of views. The arrays are the renderer's own
 * (not copied, for large scenes); treat them as read-only.
 *
 * @param weights {@code weights[i]} = max over all pixels of all views of {@code alpha_i * T_i}
 *     (0 when Gaussian {@code i} never contributed to a pixel)
 * @param bestView {@code bestView[i]} = index of the view that gave the maximum, or -1
 * @param secondsPerView wall time of each view (projection, sorting, compositing)
 */
public record MaxWeights(float[] weights, int[] bestView, double[] secondsPerView) {
  /** Checks that the arrays agree. */
  public MaxWeights {
    if (weights.length != bestView.length) {
      throw new IllegalArgumentException("weights and bestView lengths differ: " + weights.length + " vs "
          + bestView.length);
    }
  }

  /** Number of Gaussians. */
  public int size() {
    return weights.length;
  }

  /** Mean of {@link #secondsPerView()} (0 for no views). */
  public double meanSecondsPerView() {
    double s = 0;
    for (double v : secondsPerView) {
      s += v;
    }
    return secondsPerView.length == 0 ? 0 : s / secondsPerView.length;
  }
}
