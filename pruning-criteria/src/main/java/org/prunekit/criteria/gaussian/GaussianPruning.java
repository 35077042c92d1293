package org.prunekit.criteria.gaussian;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Max-blending-weight pruning (ReLaGS, spec §3.10): keep Gaussian {@code i} iff the maximum over
 * all pixels of all views of its blending weight {@code alpha_i * T_i} is greater than {@code
 * threshold} (reference default {@link #DEFAULT_THRESHOLD} = 0.1). The input cloud is never
 * changed; {@link GaussianPruningResult#apply} builds the pruned cloud.
 *
 * <pre>{@code
 * GaussianPruningResult r = GaussianPruning.prune(cloud, cameras, 0.1);
 * GaussianCloud pruned = r.apply(cloud);
 * }</pre>
 */
public final class GaussianPruning {
  /** The reference {@code --contribution_threshold} default. */
  public static final double DEFAULT_THRESHOLD = 0.1;

  private static final Logger LOG = LoggerFactory.getLogger(GaussianPruning.class);

  private GaussianPruning() {}

  /** Prunes with the default renderer. */
  public static GaussianPruningResult prune(GaussianCloud cloud, List<PinholeCamera> cameras, double threshold) {
    return prune(cloud, cameras, threshold, MaxWeightRenderer.defaults());
  }

  /**
   * Prunes with the given renderer settings.
   *
   * @throws IllegalArgumentException for a threshold outside {@code [0, 1]} (checked before any
   *     rendering) or no cameras
   */
  public static GaussianPruningResult prune(GaussianCloud cloud, List<PinholeCamera> cameras, double threshold,
      MaxWeightRenderer renderer) {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(renderer, "renderer");
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("max-weight threshold must be in [0, 1], got " + threshold);
    }
    MaxWeights mw = renderer.maxWeights(cloud, cameras);
    float[] w = mw.weights();
    int kept = 0;
    for (float v : w) {
      if (v > threshold) {
        kept++;
      }
    }
    int[] idx = new int[kept];
    int k = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > threshold) {
        idx[k++] = i;
      }
    }
    GaussianPruningResult r = new GaussianPruningResult(idx, mw, threshold, cameras.size());
    LOG.info(r.report());
    return r;
  }
}
