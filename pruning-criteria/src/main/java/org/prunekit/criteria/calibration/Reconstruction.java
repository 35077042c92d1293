package org.prunekit.criteria.calibration;

import java.util.Objects;
import org.prunekit.core.tensor.Tensor;

/**
 * What a {@link LayerReconstructor} returns for one weight.
 *
 * @param value the updated weight (same shape; pruned entries must be zero)
 * @param mask the keep mask (1 = keep, 0 = pruned), same shape
 */
public record Reconstruction(Tensor value, Tensor mask) {
  /** Checks that both are present and of one shape. */
  public Reconstruction {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(mask, "mask");
    if (!value.shape().equals(mask.shape())) {
      throw new IllegalArgumentException("reconstructed value " + value.shape() + " and mask " + mask.shape()
          + " differ in shape");
    }
  }
}
