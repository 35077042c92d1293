package org.prunekit.core.graph.op;

import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.Shape;

/**
 * Max or mean over all spatial positions of {@code [batch, channels, spatial...]}. With {@code
 * keepDims} the output is {@code [batch, channels, 1, ...]} (ONNX), otherwise {@code [batch,
 * channels]}.
 */
public record GlobalPool(Pool.Kind kind, boolean keepDims) implements Op {
  /** Validates the kind. */
  public GlobalPool {
    Objects.requireNonNull(kind, "kind");
  }

  @Override
  public String type() {
    return "globalpool";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(x.rank() >= 3, node, in, "global pooling needs [batch, channels, spatial...]");
    if (!keepDims) {
      return new Shape(x.get(0), x.get(1));
    }
    int[] d = x.dims();
    for (int i = 2; i < d.length; i++) {
      d[i] = 1;
    }
    return new Shape(d);
  }
}
