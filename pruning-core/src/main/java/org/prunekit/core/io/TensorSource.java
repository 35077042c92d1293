package org.prunekit.core.io;

import java.io.IOException;
import java.util.Set;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * A named collection of tensors to load weights from: a safetensors file, an npz archive or an
 * in-memory map. Shapes are known without reading data, so a loader can validate everything
 * before it reads or assigns anything.
 */
public interface TensorSource {
  /** The tensor names, in the source's order. */
  Set<String> names();

  /** True if a tensor of that name exists. */
  default boolean contains(String name) {
    return names().contains(name);
  }

  /**
   * The shape of tensor {@code name} as stored.
   *
   * @throws IllegalArgumentException if there is no such tensor
   */
  Shape shape(String name);

  /**
   * Reads tensor {@code name} as a fresh heap float32 tensor.
   *
   * @throws IllegalArgumentException if there is no such tensor
   * @throws IOException if the data cannot be read
   */
  Tensor read(String name) throws IOException;
}
