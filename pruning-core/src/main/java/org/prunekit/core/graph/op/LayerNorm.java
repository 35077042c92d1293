package org.prunekit.core.graph.op;

import java.util.ArrayList;
import java.util.List;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Shape;

/** Layer normalisation over the last dimension, with optional affine {@code gamma}/{@code beta}. */
public record LayerNorm(int dim, float epsilon, boolean affine) implements Op {
  /** Validates the fields. */
  public LayerNorm {
    ShapeChecks.positive("layernorm dim", dim);
    if (!(epsilon > 0f)) {
      throw new IllegalArgumentException("layernorm epsilon must be positive, got " + epsilon);
    }
  }

  @Override
  public String type() {
    return "layernorm";
  }

  @Override
  public List<ParamSpec> parameterSpecs() {
    List<ParamSpec> p = new ArrayList<>();
    if (affine) {
      p.add(new ParamSpec("gamma", ParamRole.GAMMA, new Shape(dim), "C"));
      p.add(new ParamSpec("beta", ParamRole.BETA, new Shape(dim), "C"));
    }
    return p;
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(x.get(-1) == dim, node, in, "layernorm expects last dim " + dim + ", got " + x.get(-1));
    return x;
  }
}
