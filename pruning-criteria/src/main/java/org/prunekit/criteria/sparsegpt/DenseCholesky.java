package org.prunekit.criteria.sparsegpt;

/**
 * Dense symmetric positive-definite factorisations on row-major {@code double[n*n]} matrices, the
 * three steps SparseGPT needs: {@code L = chol(H)}, {@code H^-1 = L^-T L^-1} and the upper factor
 * {@code U} of {@code H^-1} ({@code U^T U = H^-1}), as PyTorch's {@code linalg.cholesky}, {@code
 * cholesky_inverse} and {@code linalg.cholesky(upper=True)}.
 *
 * <p>Plain Java: SparseGPT's matrices are {@code in x in} of one layer (64..192 wide on the
 * project's language model), where the {@code O(n^3)} loops take microseconds to milliseconds.
 */
final class DenseCholesky {
  private DenseCholesky() {}

  /**
   * The lower Cholesky factor of symmetric {@code a} (only its lower triangle is read).
   *
   * @return {@code L} with zeros above the diagonal, or {@code null} if a pivot is not positive
   *     (the matrix is not positive definite) or not finite
   */
  static double[] lower(double[] a, int n) {
    double[] l = new double[n * n];
    for (int j = 0; j < n; j++) {
      int rj = j * n;
      double d = a[rj + j];
      for (int k = 0; k < j; k++) {
        d -= l[rj + k] * l[rj + k];
      }
      if (!(d > 0) || Double.isInfinite(d)) {
        return null;
      }
      double djj = Math.sqrt(d);
      l[rj + j] = djj;
      for (int i = j + 1; i < n; i++) {
        int ri = i * n;
        double s = a[ri + j];
        for (int k = 0; k < j; k++) {
          s -= l[ri + k] * l[rj + k];
        }
        l[ri + j] = s / djj;
      }
    }
    return l;
  }

  /** {@code (L L^T)^-1 = L^-T L^-1} from a lower Cholesky factor (full symmetric result). */
  static double[] inverseFromLower(double[] l, int n) {
    // Linv: lower triangular inverse, column by column (forward substitution on unit vectors).
    double[] inv = new double[n * n];
    for (int j = 0; j < n; j++) {
      inv[j * n + j] = 1.0 / l[j * n + j];
      for (int i = j + 1; i < n; i++) {
        int ri = i * n;
        double s = 0;
        for (int k = j; k < i; k++) {
          s -= l[ri + k] * inv[k * n + j];
        }
        inv[ri + j] = s / l[ri + i];
      }
    }
    // H^-1[i][j] = sum_k Linv[k][i] * Linv[k][j], k >= max(i, j).
    double[] h = new double[n * n];
    for (int k = 0; k < n; k++) {
      int rk = k * n;
      for (int i = 0; i <= k; i++) {
        double v = inv[rk + i];
        if (v == 0) {
          continue;
        }
        int ri = i * n;
        for (int j = i; j <= k; j++) {
          h[ri + j] += v * inv[rk + j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        h[j * n + i] = h[i * n + j];
      }
    }
    return h;
  }

  /**
   * The upper factor {@code U} with {@code U^T U = a} ({@code U = chol_lower(a)^T}).
   *
   * @return {@code U}, or {@code null} if {@code a} is not positive definite
   */
  static double[] upper(double[] a, int n) {
    double[] l = lower(a, n);
    if (l == null) {
      return null;
    }
    double[] u = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        u[j * n + i] = l[i * n + j];
      }
    }
    return u;
  }
}
