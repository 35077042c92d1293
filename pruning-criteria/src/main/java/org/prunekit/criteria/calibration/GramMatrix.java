package org.prunekit.criteria.calibration;

import java.util.Objects;

/**
 * The accumulated {@code X^T X} of one weight's calibration inputs (SparseGPT's Hessian up to the
 * factor {@code 2/n}): {@code X} is {@code [tokens, columns]}, every calibration token's input to
 * the layer. Each batch's {@code X^T X} is formed on the engine in float32 (as the reference
 * does); the batches are summed in double.
 *
 * @param parameter the weight's qualified name
 * @param columns the input width {@code in}
 * @param tokens how many input rows were accumulated
 * @param values the symmetric {@code [columns, columns]} matrix, row-major (not copied; do not
 *     modify)
 */
public record GramMatrix(String parameter, int columns, long tokens, double[] values) {
  /** Validates the size. */
  public GramMatrix {
    Objects.requireNonNull(parameter, "parameter");
    Objects.requireNonNull(values, "values");
    if (columns < 1 || values.length != (long) columns * columns) {
      throw new IllegalArgumentException("Gram matrix of '" + parameter + "' needs " + columns + "^2 values, got "
          + values.length);
    }
    if (tokens < 1) {
      throw new IllegalArgumentException("empty calibration for '" + parameter + "': " + tokens + " tokens");
    }
  }

  /** Entry {@code (i, j)}, i.e. {@code sum over tokens of x_i * x_j}. */
  public double get(int i, int j) {
    return values[i * columns + j];
  }

  /** The diagonal {@code ||X_j||^2} (a copy): what Wanda's statistics hold. */
  public double[] diagonal() {
    double[] d = new double[columns];
    for (int j = 0; j < columns; j++) {
      d[j] = values[j * columns + j];
    }
    return d;
  }
}
