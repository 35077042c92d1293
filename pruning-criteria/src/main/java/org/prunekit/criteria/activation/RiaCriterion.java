package org.prunekit.criteria.activation;

import java.util.Set;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringContext;

/**
 * RIA, relative importance and activations (spec B3):
 *
 * <pre>
 *   RI_ij = |W_ij| / sum_k |W_kj|  +  |W_ij| / sum_k |W_ik|      (input-column sum, output-row sum)
 *   S_ij  = RI_ij * (||X_j||_2)^a                                 (a = 0.5 by default)
 * </pre>
 *
 * Short name {@code "ria"}; needs {@link Requirement#INPUT_COLUMN_NORMS}; one threshold over the
 * whole matrix by default ({@link Scope#LAYER}, the reference's unstructured mode), {@link
 * Scope#ROW} gives its {@code --per_outneuron} mode, and an N:M pattern its block rule. The weight is
 * viewed as {@code [out, in*k...]}. RI does not change when the whole matrix is scaled.
 *
 * <p>A column or row whose absolute sum is zero contributes 0 to RI (the reference would divide 0
 * by 0). Sums and the score are computed in double and rounded to float once.
 */
public final class RiaCriterion implements Criterion {
  /** The registry name. */
  public static final String NAME = "ria";
  /** The reference's default activation exponent {@code a}. */
  public static final double DEFAULT_EXPONENT = 0.5;

  private final double exponent;

  /** RIA with the default exponent {@code a = 0.5} (what the registry creates). */
  public RiaCriterion() {
    this(DEFAULT_EXPONENT);
  }

  /**
   * RIA with activation exponent {@code a} ({@code a = 0}: pure relative importance).
   *
   * @throws IllegalArgumentException unless {@code a} is finite and {@code >= 0}
   */
  public RiaCriterion(double exponent) {
    if (!(exponent >= 0) || Double.isInfinite(exponent)) {
      throw new IllegalArgumentException("RIA activation exponent a must be finite and >= 0, got " + exponent);
    }
    this.exponent = exponent;
  }

  /** The activation exponent {@code a}. */
  public double exponent() {
    return exponent;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The relative importance {@code RI} of a weight viewed as {@code [out, in*k...]}, in double,
   * row-major.
   */
  public static double[] relativeImportance(TensorData weight) {
    float[] w = weight.toFloatArray();
    int rows = weight.shape().rank() == 0 ? 1 : weight.shape().get(0);
    int cols = rows == 0 ? 0 : w.length / rows;
    double[] colSum = new double[cols];
    double[] rowSum = new double[rows];
    for (int r = 0; r < rows; r++) {
      double acc = 0;
      for (int j = 0, i = r * cols; j < cols; j++, i++) {
        double a = Math.abs(w[i]);
        acc += a;
        colSum[j] += a;
      }
      rowSum[r] = acc;
    }
    double[] ri = new double[w.length];
    for (int r = 0; r < rows; r++) {
      double rowInv = rowSum[r] > 0 ? 1.0 / rowSum[r] : 0.0;
      for (int j = 0, i = r * cols; j < cols; j++, i++) {
        double a = Math.abs(w[i]);
        double colTerm = colSum[j] > 0 ? a / colSum[j] : 0.0;
        ri[i] = colTerm + a * rowInv;
      }
    }
    return ri;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException naming the parameter if the norms are missing or all zero
   */
  @Override
  public Tensor score(ScoringContext context) {
    double[] sq = context.requireInputColumnSquaredNorms(NAME);
    InputNorms.requireSignal(NAME, context.parameterName(), sq);
    int cols = context.columns();
    double[] act = new double[cols];
    for (int j = 0; j < cols; j++) {
      // (||X_j||)^a = (||X_j||^2)^(a/2); a = 0 gives 1 even for a zero norm.
      act[j] = exponent == 0 ? 1.0 : Math.pow(sq[j], exponent / 2);
    }
    double[] ri = relativeImportance(context.weight());
    float[] s = new float[ri.length];
    for (int base = 0; base < ri.length; base += cols) {
      for (int j = 0; j < cols; j++) {
        s[base + j] = (float) (ri[base + j] * act[j]);
      }
    }
    return new Tensor(context.weightShape(), s);
  }

  @Override
  public Set<Requirement> requirements() {
    return Set.of(Requirement.INPUT_COLUMN_NORMS);
  }

  @Override
  public Scope defaultScope() {
    return Scope.LAYER;
  }

  @Override
  public String toString() {
    return NAME + "(a=" + exponent + ")";
  }
}
