package org.prunekit.core.tensor;

import org.prunekit.core.graph.Shape;

/**
 * The one small interface criteria consume: a shape and the row-major float values.
 *
 * <p>Implemented by the heap {@link Tensor} (no copy) and by the adapters in {@link
 * TensorConversions} for ND4J {@code INDArray}s and DJL {@code NDArray}s, so DL4J and DJL users
 * plug their own arrays in. Criteria math runs in plain Java where that measured fastest (see
 * {@code docs/architecture.md}).
 */
public interface TensorData {
  /** The shape of the data. */
  Shape shape();

  /**
   * The values in row-major order. Heap tensors return their backing array; adapters over native
   * arrays return a fresh copy. Callers must not mutate the result unless they own it.
   */
  float[] toFloatArray();
}
