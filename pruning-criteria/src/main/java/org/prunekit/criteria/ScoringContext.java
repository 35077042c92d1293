package org.prunekit.criteria;

import java.util.Objects;
import java.util.Optional;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;

/**
 * Everything a {@link Criterion} may read about one parameter: its name, role and layout, the
 * weight values, and optionally calibration statistics and a gradient.
 *
 * <p>The weight is viewed as a matrix of {@link #rows()} output rows by {@link #columns()} input
 * columns (spec 0.1: a linear {@code [out, in]} as is, a conv {@code [out, in, k...]} as {@code
 * [out, in*k...]}, matching im2col calibration inputs). Calibration statistics are given per
 * input column of that view. Built with {@link #builder()}; new optional inputs (e.g. a Hessian for
 * SparseGPT) are added as new {@code optX} builder methods, so existing criteria keep compiling.
 */
public final class ScoringContext {
  private final String parameterName;
  private final ParamRole role;
  private final String layout;
  private final TensorData weight;
  private final double[] inputColumnSquaredNorms;
  private final TensorData gradient;

  private ScoringContext(Builder b) {
    this.parameterName = b.parameterName;
    this.role = b.role;
    this.layout = b.layout;
    this.weight = b.weight;
    this.inputColumnSquaredNorms = b.inputColumnSquaredNorms;
    this.gradient = b.gradient;
  }

  /** A builder; {@link Builder#setParameterName} and {@link Builder#setWeight} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with {@code p}'s name, role, layout and current value. */
  public static Builder builderFor(Parameter p) {
    return new Builder().setParameterName(p.qualifiedName()).setWeight(p.value()).optRole(p.role())
        .optLayout(p.spec().layout());
  }

  /** Qualified parameter name ({@code node.param}), for messages. */
  public String parameterName() {
    return parameterName;
  }

  /** The parameter's role ({@link ParamRole#WEIGHT} unless told otherwise). */
  public ParamRole role() {
    return role;
  }

  /** The axis letters, e.g. {@code "OI"} or {@code "OIHW"}; empty if unknown. */
  public String layout() {
    return layout;
  }

  /** The weight values (row-major); criteria must not mutate them. */
  public TensorData weight() {
    return weight;
  }

  /** The weight's shape. */
  public Shape weightShape() {
    return weight.shape();
  }

  /** Number of output rows (the first dimension; 1 for a scalar). */
  public int rows() {
    return rowsOf(weight.shape());
  }

  /** Number of columns per row ({@code numel / rows}). */
  public int columns() {
    return columnsOf(weight.shape());
  }

  /**
   * Per-input-column sums of squared calibration activations ({@code ||X_j||^2}, length {@link
   * #columns()}), if given. The array is shared: do not modify it.
   */
  public Optional<double[]> inputColumnSquaredNorms() {
    return Optional.ofNullable(inputColumnSquaredNorms);
  }

  /**
   * The input column norms, or an exception naming the criterion and parameter.
   *
   * @throws IllegalArgumentException if none were given
   */
  public double[] requireInputColumnSquaredNorms(String criterion) {
    if (inputColumnSquaredNorms == null) {
      throw new IllegalArgumentException("criterion '" + criterion + "' needs calibration input column norms for '"
          + parameterName + "', but none were given");
    }
    return inputColumnSquaredNorms;
  }

  /** The loss gradient with the weight's shape, if given. */
  public Optional<TensorData> gradient() {
    return Optional.ofNullable(gradient);
  }

  /**
   * The gradient, or an exception naming the criterion and parameter.
   *
   * @throws IllegalArgumentException if none was given
   */
  public TensorData requireGradient(String criterion) {
    if (gradient == null) {
      throw new IllegalArgumentException(
          "criterion '" + criterion + "' needs the gradient of '" + parameterName + "', but none was given");
    }
    return gradient;
  }

  static int rowsOf(Shape s) {
    return s.rank() == 0 ? 1 : s.get(0);
  }

  static int columnsOf(Shape s) {
    int rows = rowsOf(s);
    return rows == 0 ? 0 : Math.toIntExact(s.size() / rows);
  }

  /** Builds a {@link ScoringContext}, validating sizes against the weight. */
  public static final class Builder {
    private String parameterName;
    private ParamRole role = ParamRole.WEIGHT;
    private String layout = "";
    private TensorData weight;
    private double[] inputColumnSquaredNorms;
    private TensorData gradient;

    private Builder() {}

    /** Required: the qualified parameter name. */
    public Builder setParameterName(String name) {
      this.parameterName = Objects.requireNonNull(name, "parameterName");
      return this;
    }

    /** Required: the weight values. */
    public Builder setWeight(TensorData weight) {
      this.weight = Objects.requireNonNull(weight, "weight");
      return this;
    }

    /** Optional: the role (default {@link ParamRole#WEIGHT}). */
    public Builder optRole(ParamRole role) {
      this.role = Objects.requireNonNull(role, "role");
      return this;
    }

    /** Optional: the layout letters. */
    public Builder optLayout(String layout) {
      this.layout = Objects.requireNonNull(layout, "layout");
      return this;
    }

    /** Optional: per-input-column sums of squared calibration activations (not copied). */
    public Builder optInputColumnSquaredNorms(double[] norms) {
      this.inputColumnSquaredNorms = norms;
      return this;
    }

    /** Optional: the gradient, same shape as the weight. */
    public Builder optGradient(TensorData gradient) {
      this.gradient = gradient;
      return this;
    }

    /**
     * Builds the context.
     *
     * @throws IllegalArgumentException naming the parameter if a required field is missing, the
     *     norms have the wrong length or hold a negative or non-finite value, or the gradient's
     *     shape differs from the weight's
     */
    public ScoringContext build() {
      if (parameterName == null) {
        throw new IllegalArgumentException("scoring context needs a parameter name");
      }
      if (weight == null) {
        throw new IllegalArgumentException("scoring context for '" + parameterName + "' needs a weight");
      }
      Shape s = weight.shape();
      if (inputColumnSquaredNorms != null) {
        int cols = columnsOf(s);
        if (inputColumnSquaredNorms.length != cols) {
          throw new IllegalArgumentException("input column norms for '" + parameterName + "' have "
              + inputColumnSquaredNorms.length + " entries, but weight " + s + " has " + cols + " columns");
        }
        for (int j = 0; j < cols; j++) {
          double v = inputColumnSquaredNorms[j];
          if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("input column norm " + j + " of '" + parameterName + "' is " + v
                + "; squared norms must be finite and >= 0");
          }
        }
      }
      if (gradient != null && !gradient.shape().equals(s)) {
        throw new IllegalArgumentException("gradient for '" + parameterName + "' has shape " + gradient.shape()
            + ", weight has " + s);
      }
      return new ScoringContext(this);
    }
  }
}
