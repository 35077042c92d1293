package org.prunekit.analysis.simcert;

/**
 * Concentration bounds for a linear function {@code c^T x + e} of independent coordinates
 * {@code x_i} uniform on an {@link InputBox}.
 *
 * <p>Bernstein (spec §3.7): with term ranges {@code M = max_i |c_i| (hi_i - lo_i) / 2} and
 * variance sum {@code V = Σ_i c_i^2 σ_i^2}, {@code P(c^T(x - μ) >= t) <= exp(-t^2 / (2V + 2Mt/3))};
 * for a tail probability {@code δ'} the deviation is {@code t = M ln(1/δ')/3 + sqrt((M
 * ln(1/δ')/3)^2 + 2 V ln(1/δ'))}. Hoeffding's {@code t = sqrt(Σ_i (c_i w_i)^2 ln(1/δ') / 2)} is
 * given for comparison.
 */
public final class Bernstein {
  private Bernstein() {}

  /**
   * Bernstein deviation {@code t} for range {@code m}, variance sum {@code v} and tail {@code
   * deltaPrime}.
   *
   * @throws IllegalArgumentException if {@code deltaPrime} is not in (0, 1) or {@code m}, {@code
   *     v} are negative
   */
  public static double deviation(double m, double v, double deltaPrime) {
    checkTail(deltaPrime);
    if (!(m >= 0) || !(v >= 0)) {
      throw new IllegalArgumentException("Bernstein range and variance must be >= 0, got M=" + m + ", V=" + v);
    }
    double ln = Math.log(1.0 / deltaPrime);
    double a = m * ln / 3.0;
    return a + Math.sqrt(a * a + 2.0 * v * ln);
  }

  /** Bernstein deviation of {@code c^T x} (coefficients {@code c[0..n-1]}) under the uniform distribution on {@code box}. */
  public static double deviation(double[] c, InputBox box, double deltaPrime) {
    double m = 0;
    double v = 0;
    for (int i = 0; i < box.dims(); i++) {
      double ci = c[i];
      if (ci == 0) {
        continue;
      }
      m = Math.max(m, Math.abs(ci) * box.width(i) / 2.0);
      v += ci * ci * box.variance(i);
    }
    return deviation(m, v, deltaPrime);
  }

  /** Hoeffding deviation {@code sqrt(Σ_i (c_i w_i)^2 ln(1/δ') / 2)} of {@code c^T x} on {@code box}. */
  public static double hoeffdingDeviation(double[] c, InputBox box, double deltaPrime) {
    checkTail(deltaPrime);
    double s = 0;
    for (int i = 0; i < box.dims(); i++) {
      double r = c[i] * box.width(i);
      s += r * r;
    }
    return Math.sqrt(s * Math.log(1.0 / deltaPrime) / 2.0);
  }

  /** Expected value {@code c^T μ + e} of the form {@code [c_0..c_{n-1}, e]} under the uniform distribution. */
  public static double mean(double[] form, InputBox box) {
    int n = box.dims();
    double s = form[n];
    for (int i = 0; i < n; i++) {
      if (form[i] != 0) {
        s += form[i] * box.mean(i);
      }
    }
    return s;
  }

  /**
   * Probabilistic upper bound {@code c^T μ + e + t} of the form {@code [c, e]}: exceeded with
   * probability at most {@code deltaPrime}.
   */
  public static double upperBound(double[] form, InputBox box, double deltaPrime) {
    return mean(form, box) + deviation(form, box, deltaPrime);
  }

  private static void checkTail(double deltaPrime) {
    if (!(deltaPrime > 0 && deltaPrime < 1)) {
      throw new IllegalArgumentException("tail probability must be in (0, 1), got " + deltaPrime);
    }
  }
}
