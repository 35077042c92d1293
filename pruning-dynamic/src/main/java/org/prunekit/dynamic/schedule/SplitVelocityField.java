package org.prunekit.dynamic.schedule;

import org.prunekit.core.tensor.Tensor;
import org.prunekit.dynamic.InferenceCost;

/**
 * A velocity field {@code v(x, t | class)} for an iterative sampler, split like FlashU's diffusion
 * head into a cacheable part ({@link #trunk}, {@code diffusion_head_a}) and a final part that
 * always runs ({@link #head}, {@code diffusion_head_b}), each available as a pruned and a full
 * network.
 */
public interface SplitVelocityField {
  /** The state dimension {@code d}. */
  int dim();

  /**
   * The cacheable part on a batch.
   *
   * @param network pruned or full
   * @param x states {@code [n, d]}
   * @param t the time in {@code [0, 1]}
   * @param classes one condition per row, {@code -1} = unconditional (the CFG null condition)
   * @return features {@code [n, ...]}
   */
  Tensor trunk(NetworkChoice network, Tensor x, double t, int[] classes);

  /**
   * The final part: velocities {@code [n, d]} from the trunk's features (possibly cached from an
   * earlier step) and the current states.
   */
  Tensor head(NetworkChoice network, Tensor features, Tensor x, double t, int[] classes);

  /** The cost of the trunk on one row. */
  InferenceCost trunkCost(NetworkChoice network);

  /** The cost of the head on one row. */
  InferenceCost headCost(NetworkChoice network);
}
