package org.prunekit.dynamic.dance;

/**
 * Which MAC count the AAP controller's cost term {@code λ_mac * MAC_used / MAC_dense} uses.
 */
public enum MacCostTarget {
  /**
   * The spec's count ({@link Conv3dCost#exact}): every zero input element skipped, so frame,
   * channel and feature gating all lower it. Right for a zero-skipping accelerator; on a dense
   * engine only frame and channel drops save time.
   */
  ZERO_SKIP,
  /**
   * The MACs a dense engine executes on the gathered tensors: per gated conv {@code dense MACs *
   * (kept frames / T) * (kept channels / C)}; feature gating does not lower it. A deviation from the
   * spec's cost term, offered because it is what shortens wall-clock time on CPU/GPU dense kernels.
   */
  EXECUTED,
  /** The mean of the two ratios. */
  BOTH
}
