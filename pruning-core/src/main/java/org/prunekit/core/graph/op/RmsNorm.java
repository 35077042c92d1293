package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Shape;

/** RMS normalisation over the last dimension: {@code x / sqrt(mean(x^2) + eps) * gamma}. */
public record RmsNorm(int dim, float epsilon) implements Op {
  /** Validates the fields. */
  public RmsNorm {
    ShapeChecks.positive("rmsnorm dim", dim);
    if (!(epsilon > 0f)) {
      throw new IllegalArgumentException("rmsnorm epsilon must be positive, got " + epsilon);
    }
  }

  @Override
  public String type() {
    return "rmsnorm";
  }

  @Override
  public List<ParamSpec> parameterSpecs() {
    return List.of(new ParamSpec("gamma", ParamRole.GAMMA, new Shape(dim), "C"));
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(x.get(-1) == dim, node, in, "rmsnorm expects last dim " + dim + ", got " + x.get(-1));
    return x;
  }
}
