package org.prunekit.criteria.activation;

import java.util.Set;
import java.util.stream.IntStream;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ColumnScaledMagnitude;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringContext;

/**
 * Wanda (spec B2): {@code S_ij = |W_ij| * ||X_j||_2}, the weight magnitude times the L2 norm of
 * input column {@code j} over all calibration tokens. Short name {@code "wanda"}; needs {@link
 * Requirement#INPUT_COLUMN_NORMS}; compares within output rows by default ({@link Scope#ROW}: each
 * row prunes {@code floor(s * in)}, ties lower column first), as the reference does.
 *
 * <p>Arithmetic mirrors the reference's float32 {@code |W| * sqrt(scaler)}: the square root is
 * taken in double and rounded to float (the same value as a float32 square root), then the product
 * is formed in float. Large tensors are scored in parallel blocks of rows; ROW masks can be computed
 * without the score tensor ({@link ColumnScaledMagnitude#rowMask}). For conv weights see {@link InputNorms} on how columns map to input channels.
 */
public final class WandaCriterion implements ColumnScaledMagnitude {
  /** The registry name. */
  public static final String NAME = "wanda";

  private static final int PARALLEL_MIN = 1 << 16;
  private static final int BLOCK_ELEMENTS = 1 << 18;

  /** Creates the criterion (stateless). */
  public WandaCriterion() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException naming the parameter if the norms are missing or all zero
   */
  @Override
  public Tensor score(ScoringContext context) {
    float[] norm = columnScales(context);
    int cols = norm.length;
    float[] w = context.weight().toFloatArray();
    float[] s = new float[w.length];
    int rows = cols == 0 ? 0 : w.length / cols;
    if (w.length < PARALLEL_MIN) {
      score(w, norm, s, 0, rows);
    } else {
      // Blocks of whole rows, each element computed the same way: the result does not depend on threads.
      int blockRows = Math.max(1, BLOCK_ELEMENTS / cols);
      int blocks = (rows + blockRows - 1) / blockRows;
      IntStream.range(0, blocks).parallel()
          .forEach(b -> score(w, norm, s, b * blockRows, Math.min(rows, (b + 1) * blockRows)));
    }
    return new Tensor(context.weightShape(), s);
  }

  /**
   * The factors {@code ||X_j||_2} as {@link #score} uses them (square root in double, rounded to float).
   *
   * @throws IllegalArgumentException naming the parameter if the norms are missing or all zero
   */
  @Override
  public float[] columnScales(ScoringContext context) {
    double[] sq = context.requireInputColumnSquaredNorms(NAME);
    InputNorms.requireSignal(NAME, context.parameterName(), sq);
    int cols = context.columns();
    float[] norm = new float[cols];
    for (int j = 0; j < cols; j++) {
      norm[j] = (float) Math.sqrt(sq[j]);
    }
    return norm;
  }

  private static void score(float[] w, float[] norm, float[] s, int rowFrom, int rowTo) {
    int cols = norm.length;
    for (int r = rowFrom; r < rowTo; r++) {
      int base = r * cols;
      for (int j = 0; j < cols; j++) {
        s[base + j] = Math.abs(w[base + j]) * norm[j];
      }
    }
  }

  @Override
  public Set<Requirement> requirements() {
    return Set.of(Requirement.INPUT_COLUMN_NORMS);
  }

  @Override
  public Scope defaultScope() {
    return Scope.ROW;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
