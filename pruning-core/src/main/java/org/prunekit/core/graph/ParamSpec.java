package org.prunekit.core.graph;

import java.util.Objects;

/**
 * What an op declares about one of its parameters.
 *
 * @param name local name within the node ({@code "weight"}, {@code "bias"}, {@code "q_weight"})
 * @param role what the tensor is for
 * @param shape the tensor's shape
 * @param layout the axis letters, e.g. {@code "OI"} for a linear weight {@code [out, in]},
 *     {@code "OIHW"} for a 2D conv kernel, {@code "C"} for a per-channel vector
 */
public record ParamSpec(String name, ParamRole role, Shape shape, String layout) {
  /** Validates the spec. */
  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(layout, "layout");
    if (layout.length() != shape.rank()) {
      throw new IllegalArgumentException(
          "parameter '" + name + "': layout " + layout + " does not match shape " + shape);
    }
  }
}
