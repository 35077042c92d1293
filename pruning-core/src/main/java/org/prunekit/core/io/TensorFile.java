package org.prunekit.core.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * Tensors read completely into memory, with the file's string metadata and the dtype each tensor
 * was stored in.
 *
 * @param tensors the tensors by name, in file order (unmodifiable)
 * @param dtypes the stored dtype name of each tensor, e.g. {@code "F16"} or {@code "<f4"}
 * @param metadata the file's string metadata (safetensors {@code __metadata__}; empty for npz)
 */
public record TensorFile(Map<String, Tensor> tensors, Map<String, String> dtypes, Map<String, String> metadata)
    implements TensorSource {
  /** Validates and freezes the maps (insertion order kept). */
  public TensorFile {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
    dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(dtypes, "dtypes")));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    if (!dtypes.keySet().equals(tensors.keySet())) {
      throw new IllegalArgumentException("dtypes " + dtypes.keySet() + " do not match tensors " + tensors.keySet());
    }
  }

  /** Wraps an in-memory map of float32 tensors (dtypes recorded as {@code "F32"}). */
  public static TensorFile of(Map<String, Tensor> tensors) {
    Map<String, String> d = new LinkedHashMap<>();
    tensors.keySet().forEach(k -> d.put(k, "F32"));
    return new TensorFile(tensors, d, Map.of());
  }

  @Override
  public Set<String> names() {
    return tensors.keySet();
  }

  @Override
  public Shape shape(String name) {
    return get(name).shape();
  }

  /** The tensor (shared, not copied). */
  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor '" + name + "'; tensors: " + tensors.keySet());
    }
    return t;
  }

  /** A copy of the tensor. */
  @Override
  public Tensor read(String name) {
    return get(name).copy();
  }
}
