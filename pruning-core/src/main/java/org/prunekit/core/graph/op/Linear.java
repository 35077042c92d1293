package org.prunekit.core.graph.op;

import java.util.ArrayList;
import java.util.List;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Shape;

/**
 * A fully connected layer {@code y = x W^T + b} over the last dimension. Weight layout {@code OI}
 * ({@code [out, in]}, as PyTorch).
 */
public record Linear(int inFeatures, int outFeatures, boolean bias) implements Op {
  /** Validates the sizes. */
  public Linear {
    ShapeChecks.positive("linear features", inFeatures, outFeatures);
  }

  @Override
  public String type() {
    return "linear";
  }

  @Override
  public List<ParamSpec> parameterSpecs() {
    List<ParamSpec> p = new ArrayList<>();
    p.add(new ParamSpec("weight", ParamRole.WEIGHT, new Shape(outFeatures, inFeatures), "OI"));
    if (bias) {
      p.add(new ParamSpec("bias", ParamRole.BIAS, new Shape(outFeatures), "O"));
    }
    return p;
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(x.rank() >= 2, node, in, "linear needs at least [batch, features]");
    ShapeChecks.require(
        x.get(-1) == inFeatures, node, in, "linear expects " + inFeatures + " input features, got " + x.get(-1));
    return x.with(-1, outFeatures);
  }
}
