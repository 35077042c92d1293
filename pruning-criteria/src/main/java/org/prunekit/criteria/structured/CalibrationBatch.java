package org.prunekit.criteria.structured;

import java.util.List;
import java.util.Objects;
import org.prunekit.core.tensor.Tensor;

/**
 * One calibration batch: one heap tensor per graph input (batch first) and the labels the loss
 * compares the graph's outputs with.
 *
 * @param inputs one tensor per graph input, in graph input order
 * @param labels the labels, e.g. one class-index tensor {@code [batch]} for softmax cross-entropy
 */
public record CalibrationBatch(List<Tensor> inputs, List<Tensor> labels) {
  /** Validates and copies. */
  public CalibrationBatch {
    inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
    labels = List.copyOf(Objects.requireNonNull(labels, "labels"));
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a calibration batch needs at least one input tensor");
    }
  }

  /** A batch with one input and one label tensor. */
  public static CalibrationBatch of(Tensor input, Tensor label) {
    return new CalibrationBatch(List.of(input), List.of(label));
  }
}
