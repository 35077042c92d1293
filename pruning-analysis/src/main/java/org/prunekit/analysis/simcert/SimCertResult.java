package org.prunekit.analysis.simcert;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of {@link SimCert#certify}.
 *
 * <p>With probability at least {@code confidence} over {@code x} uniform on the box, {@code
 * lower[j] <= f_j(x) - g_j(x) <= upper[j]} holds for every output {@code j} at once; {@code
 * deterministicLower/Upper} hold for every {@code x} in the box. {@code certified} is true iff
 * {@code -epsilon <= lower[j]} and {@code upper[j] <= epsilon} for all {@code j}.
 *
 * @param certified whether {@code P(||f(x) - g(x)||_∞ <= ε) >= confidence} was proved
 * @param epsilon the tolerance {@code ε}
 * @param confidence the confidence {@code 1 - δ}
 * @param lower probabilistic lower bound on {@code Δ_j} per output (minimum over leaf boxes)
 * @param upper probabilistic upper bound on {@code Δ_j} per output (maximum over leaf boxes)
 * @param deterministicLower worst-case lower bound per output
 * @param deterministicUpper worst-case upper bound per output
 * @param boxesEvaluated boxes whose bounds were computed (the root and every half)
 * @param splits bisections performed
 * @param depth deepest split level reached (0 = no split)
 * @param uncertifiedLeaves leaf boxes left uncertified (0 when certified)
 * @param seconds wall time
 * @param cpuSeconds CPU time of the calling thread (bound computation only; independent of machine load)
 */
public record SimCertResult(boolean certified, double epsilon, double confidence, double[] lower, double[] upper,
    double[] deterministicLower, double[] deterministicUpper, int boxesEvaluated, int splits, int depth,
    int uncertifiedLeaves, double seconds, double cpuSeconds) {

  /** Copies the arrays and checks their lengths. */
  public SimCertResult {
    Objects.requireNonNull(lower, "lower");
    int m = lower.length;
    if (upper.length != m || deterministicLower.length != m || deterministicUpper.length != m) {
      throw new IllegalArgumentException("bound arrays differ in length");
    }
    lower = lower.clone();
    upper = upper.clone();
    deterministicLower = deterministicLower.clone();
    deterministicUpper = deterministicUpper.clone();
  }

  /** Number of outputs {@code m}. */
  public int outputs() {
    return lower.length;
  }

  @Override
  public double[] lower() {
    return lower.clone();
  }

  @Override
  public double[] upper() {
    return upper.clone();
  }

  @Override
  public double[] deterministicLower() {
    return deterministicLower.clone();
  }

  @Override
  public double[] deterministicUpper() {
    return deterministicUpper.clone();
  }

  /** Probabilistic bound on {@code |f_j - g_j|} per output: {@code max(|lower_j|, |upper_j|)}. */
  public double[] absBound() {
    double[] r = new double[lower.length];
    for (int j = 0; j < r.length; j++) {
      r[j] = Math.max(Math.abs(lower[j]), Math.abs(upper[j]));
    }
    return r;
  }

  /** Worst-case bound on {@code |f_j - g_j|} per output. */
  public double[] deterministicAbsBound() {
    double[] r = new double[lower.length];
    for (int j = 0; j < r.length; j++) {
      r[j] = Math.max(Math.abs(deterministicLower[j]), Math.abs(deterministicUpper[j]));
    }
    return r;
  }

  /**
   * The smallest ε this run certifies at the same confidence: {@code max_j max(|lower_j|,
   * |upper_j|)}.
   */
  public double certifiedEpsilon() {
    double m = 0;
    for (double v : absBound()) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** The largest worst-case bound on {@code |f_j - g_j|} over the outputs. */
  public double deterministicEpsilon() {
    double m = 0;
    for (double v : deterministicAbsBound()) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** A short human-readable summary (one line per fact). */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s: P(max_j |f_j - g_j| <= %.6g) >= %.4g%n",
        certified ? "CERTIFIED" : "NOT CERTIFIED", epsilon, confidence));
    sb.append(String.format(Locale.ROOT, "  probabilistic bound max_j |Δ_j| <= %.6g at confidence %.4g"
        + " (worst case %.6g)%n", certifiedEpsilon(), confidence, deterministicEpsilon()));
    sb.append(String.format(Locale.ROOT, "  boxes %d, splits %d, depth %d, uncertified leaves %d, time %.3f s"
        + " (CPU %.3f s)%n", boxesEvaluated, splits, depth, uncertifiedLeaves, seconds, cpuSeconds));
    double[] ab = absBound();
    double[] db = deterministicAbsBound();
    for (int j = 0; j < ab.length; j++) {
      sb.append(String.format(Locale.ROOT, "  output %d: Δ in [%.6g, %.6g] (|Δ| <= %.6g; worst case [%.6g, %.6g])%n",
          j, lower[j], upper[j], ab[j], deterministicLower[j], deterministicUpper[j]));
      if (j == 19 && ab.length > 21) {
        sb.append("  ... ").append(ab.length - 20).append(" more outputs\n");
        break;
      }
    }
    return sb.toString();
  }

  /** The result as one JSON object. */
  public String toJson() {
    return String.format(Locale.ROOT, "{\"certified\":%b,\"epsilon\":%s,\"confidence\":%s,\"certifiedEpsilon\":%s,"
            + "\"deterministicEpsilon\":%s,\"lower\":%s,\"upper\":%s,\"deterministicLower\":%s,\"deterministicUpper\":%s,"
            + "\"boxesEvaluated\":%d,\"splits\":%d,\"depth\":%d,\"uncertifiedLeaves\":%d,\"seconds\":%s,\"cpuSeconds\":%s}",
        certified, num(epsilon), num(confidence), num(certifiedEpsilon()), num(deterministicEpsilon()), arr(lower),
        arr(upper), arr(deterministicLower), arr(deterministicUpper), boxesEvaluated, splits, depth,
        uncertifiedLeaves, num(seconds), num(cpuSeconds));
  }

  private static String num(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  private static String arr(double[] a) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) {
      sb.append(i > 0 ? "," : "").append(num(a[i]));
    }
    return sb.append(']').toString();
  }
}
