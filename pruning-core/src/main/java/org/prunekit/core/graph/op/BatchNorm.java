package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Shape;

/**
 * Batch normalisation over axis 1 ({@code [batch, channels, ...]}), with running statistics.
 * Parameters {@code gamma}, {@code beta}, {@code running_mean}, {@code running_var}, all {@code
 * [channels]}.
 */
public record BatchNorm(int channels, float epsilon, float momentum) implements Op {
  /** Validates the fields. */
  public BatchNorm {
    ShapeChecks.positive("batchnorm channels", channels);
    if (!(epsilon > 0f)) {
      throw new IllegalArgumentException("batchnorm epsilon must be positive, got " + epsilon);
    }
  }

  /** PyTorch defaults: eps 1e-5, momentum 0.1. */
  public static BatchNorm of(int channels) {
    return new BatchNorm(channels, 1e-5f, 0.1f);
  }

  @Override
  public String type() {
    return "batchnorm";
  }

  @Override
  public List<ParamSpec> parameterSpecs() {
    Shape c = new Shape(channels);
    return List.of(
        new ParamSpec("gamma", ParamRole.GAMMA, c, "C"),
        new ParamSpec("beta", ParamRole.BETA, c, "C"),
        new ParamSpec("running_mean", ParamRole.RUNNING_MEAN, c, "C"),
        new ParamSpec("running_var", ParamRole.RUNNING_VAR, c, "C"));
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(x.rank() >= 2, node, in, "batchnorm needs [batch, channels, ...]");
    ShapeChecks.require(x.get(1) == channels, node, in, "batchnorm expects " + channels + " channels, got " + x.get(1));
    return x;
  }
}
