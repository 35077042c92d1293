package org.prunekit.criteria.magnitude;

import org.prunekit.core.tensor.TensorData;

/**
 * Structured magnitude scores of whole output rows (filters): the weight's first dimension is the
 * row, the rest is flattened (a conv {@code [out, in, k...]} as {@code [out, in*k...]}). Sums run
 * in {@code double}. Feed the result to {@link
 * org.prunekit.criteria.select.MaskSelector#structuredRowMask}.
 */
public final class RowNorms {
  private RowNorms() {}

  /** {@code S_r = sum_j |W_rj|} for every row {@code r}. */
  public static double[] l1(TensorData weight) {
    return norms(weight, false);
  }

  /** {@code S_r = sqrt(sum_j W_rj^2)} for every row {@code r}. */
  public static double[] l2(TensorData weight) {
    return norms(weight, true);
  }

  private static double[] norms(TensorData weight, boolean squared) {
    float[] w = weight.toFloatArray();
    int rows = weight.shape().rank() == 0 ? 1 : weight.shape().get(0);
    double[] out = new double[rows];
    if (rows == 0) {
      return out;
    }
    int width = w.length / rows;
    for (int r = 0; r < rows; r++) {
      double acc = 0;
      for (int i = r * width, end = i + width; i < end; i++) {
        acc += squared ? (double) w[i] * w[i] : Math.abs(w[i]);
      }
      out[r] = squared ? Math.sqrt(acc) : acc;
    }
    return out;
  }
}
