package org.prunekit.core.graph.op;

import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.Shape;

/**
 * An element-wise activation, or softmax along {@code axis} (negative counts from the end; only
 * read for {@link Kind#SOFTMAX} and {@link Kind#LOG_SOFTMAX}).
 */
public record Activation(Kind kind, int axis) implements Op {
  /** The function. */
  public enum Kind {
    /** max(0, x). */
    RELU,
    /** Gaussian error linear unit (erf form, as PyTorch's default). */
    GELU,
    /** x * sigmoid(x), a.k.a. swish. */
    SILU,
    /** Hyperbolic tangent. */
    TANH,
    /** Logistic sigmoid. */
    SIGMOID,
    /** Softmax along {@code axis}. */
    SOFTMAX,
    /** Log of the softmax along {@code axis} (ONNX LogSoftmax, PyTorch log_softmax). */
    LOG_SOFTMAX
  }

  /** Validates the kind. */
  public Activation {
    Objects.requireNonNull(kind, "kind");
  }

  /** An element-wise activation (axis -1). */
  public static Activation of(Kind kind) {
    return new Activation(kind, -1);
  }

  @Override
  public String type() {
    return "activation";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    if (kind == Kind.SOFTMAX || kind == Kind.LOG_SOFTMAX) {
      ShapeChecks.require(axis >= -x.rank() && axis < x.rank(), node, in, "softmax axis " + axis + " out of range");
    }
    return x;
  }
}
