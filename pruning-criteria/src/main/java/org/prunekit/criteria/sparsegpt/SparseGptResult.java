package org.prunekit.criteria.sparsegpt;

import java.util.Objects;
import org.prunekit.core.tensor.Tensor;

/**
 * What {@link SparseGpt#prune} produced for one layer.
 *
 * @param weight the updated weight, the input weight's shape: pruned entries exactly 0, surviving
 *     entries changed by the error compensation, dead input columns 0
 * @param mask 0/1 mask of the same shape, 1 = keep (the selection; a kept entry may be 0 when its
 *     input column is dead)
 * @param rowLosses per output row, the reference's loss estimate {@code sum over pruned (w - q)^2 /
 *     U_jj^2 / 2} accumulated during the sweep (its {@code Losses})
 * @param deadColumns input columns whose Hessian diagonal was 0 (never activated), ascending
 */
public record SparseGptResult(Tensor weight, Tensor mask, double[] rowLosses, int[] deadColumns) {
  /** Validates matching shapes. */
  public SparseGptResult {
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(mask, "mask");
    Objects.requireNonNull(rowLosses, "rowLosses");
    Objects.requireNonNull(deadColumns, "deadColumns");
    if (!weight.shape().equals(mask.shape())) {
      throw new IllegalArgumentException("weight " + weight.shape() + " and mask " + mask.shape() + " differ");
    }
  }

  /** The sum of {@link #rowLosses()}. */
  public double totalLoss() {
    double s = 0;
    for (double v : rowLosses) {
      s += v;
    }
    return s;
  }

  /** Number of pruned (mask 0) entries. */
  public long prunedCount() {
    return mask.countZeros();
  }
}
