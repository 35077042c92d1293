package org.prunekit.criteria;

import org.prunekit.core.tensor.ByteMask;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.select.FusedRowSelect;

/**
 * A criterion whose score has the form {@code S_ij = |W_ij| * c_j} with one non-negative factor per
 * input column (magnitude: {@code c = 1}; Wanda: {@code c_j = ||X_j||_2}). Such scores can be
 * selected per output row without materialising the score tensor ({@link FusedRowSelect}); {@link
 * Pruning} does so for {@link Scope#ROW} without an N:M pattern or an existing mask. The masks are
 * bit for bit those of {@link #score} followed by {@link
 * org.prunekit.criteria.select.MaskSelector}.
 */
public interface ColumnScaledMagnitude extends Criterion {
  /**
   * The column factors {@code c} (length {@link ScoringContext#columns()}, non-negative, computed
   * exactly as {@link #score} uses them), or null when every factor is 1.
   *
   * @throws IllegalArgumentException naming the parameter if a required input is missing or invalid
   */
  float[] columnScales(ScoringContext context);

  /**
   * The {@link Scope#ROW} keep mask (1 = keep) of this criterion's scores, computed row by row
   * without materialising them; equal to selecting on {@link #score}.
   *
   * @param context the parameter and its calibration inputs
   * @param sparsity fraction pruned per row, in {@code [0, 1)}
   * @param mode exact count or reference threshold
   * @return the mask, with the weight's shape
   */
  default Tensor rowMask(ScoringContext context, double sparsity, ThresholdMode mode) {
    return FusedRowSelect.rowMask(context.parameterName(), context.weight(), columnScales(context), sparsity, mode);
  }

  /**
   * As {@link #rowMask}, as one byte per weight (1 = keep): the same mask with a quarter of the
   * memory traffic, the layout of NumPy/PyTorch bool masks (what {@code prunekit mask} writes).
   */
  default ByteMask rowMaskBytes(ScoringContext context, double sparsity, ThresholdMode mode) {
    return FusedRowSelect.rowMaskBytes(context.parameterName(), context.weight(), columnScales(context), sparsity,
        mode);
  }
}
