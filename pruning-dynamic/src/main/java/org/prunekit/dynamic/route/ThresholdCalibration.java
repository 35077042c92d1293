package org.prunekit.dynamic.route;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import org.prunekit.core.tensor.Tensor;

/**
 * The routing threshold chosen on a validation split, and what it gives there (spec 3.3: "τ is
 * chosen on a validation set as the smallest threshold whose combined accuracy >= full-model
 * accuracy"; cost model {@code cost = c_L + r_H * c_H} with {@code c_H = 1}).
 *
 * <h2>The exact search ({@link #search})</h2>
 *
 * <ol>
 *   <li>Run both experts once on all {@code n} validation inputs; note per input the light prior,
 *       whether the light and whether the heavy expert is right.
 *   <li>Sort the inputs by risk: ascending max softmax probability, or descending entropy (a stable
 *       sort). Any threshold escalates a prefix of this order; escalating the first {@code k} inputs
 *       has routed accuracy {@code acc(k) = (heavy right among the first k + light right among the
 *       rest) / n}, heavy usage {@code k / n} and cost {@code c_L + k / n}.
 *   <li>Only prefixes that a threshold can produce are candidates: {@code k = 0}, and every {@code
 *       k} whose {@code k}-th and {@code (k+1)}-th priors differ (equal priors escalate together),
 *       and {@code k = n} if some threshold in range escalates everything.
 *   <li>The target is {@code correct(k) >= ceil(n * (denseAccuracy - tolerance))} in whole
 *       inputs; since cost grows with {@code k}, the answer is the <b>smallest</b> candidate {@code
 *       k} that meets it ({@code k = n} always does when it is a candidate). If none does, the
 *       candidate with the most correct inputs (smallest {@code k} among equals) is returned and
 *       {@link #meetsTarget()} is false.
 *   <li>The threshold is the midpoint between the priors of input {@code k} and {@code k+1} in risk
 *       order (so nearby test priors route the same way); for {@code k = 0} it is 0 (max softmax)
 *       or {@code ln K} (entropy), escalating nothing; for {@code k = n} the midpoint to 1 (max
 *       softmax) or to 0 (entropy).
 * </ol>
 *
 * @param prior the prior the threshold applies to
 * @param threshold the chosen {@code τ}
 * @param escalated {@code k}, validation inputs sent to the heavy expert
 * @param size {@code n}, validation inputs
 * @param lightAccuracy accuracy of the light expert alone
 * @param denseAccuracy accuracy of the heavy (dense) expert alone
 * @param routedAccuracy accuracy of the routed system at {@code τ}
 * @param lightCostFraction {@code c_L}, the light expert's MACs over the heavy expert's
 * @param meetsTarget whether {@code routedAccuracy >= denseAccuracy - tolerance}
 */
public record ThresholdCalibration(ConfidencePrior prior, double threshold, int escalated, int size,
    double lightAccuracy, double denseAccuracy, double routedAccuracy, double lightCostFraction,
    boolean meetsTarget) {

  /** Validates the figures. */
  public ThresholdCalibration {
    Objects.requireNonNull(prior, "prior");
    if (size < 1 || escalated < 0 || escalated > size || !Double.isFinite(threshold)) {
      throw new IllegalArgumentException("invalid calibration: " + escalated + " of " + size + " escalated, threshold "
          + threshold);
    }
  }

  /** {@code r_H}: fraction of validation inputs sent to the heavy expert. */
  public double heavyUsage() {
    return (double) escalated / size;
  }

  /** {@code c_L + r_H}: expected MACs per input relative to the dense model. */
  public double normalisedCost() {
    return lightCostFraction + heavyUsage();
  }

  /** One line for logs and reports. */
  public String explain() {
    return String.format(Locale.ROOT, "%s threshold %.6f: %d of %d escalated (%.1f%%), routed accuracy %.2f%%"
            + " (dense %.2f%%, light %.2f%%), cost %.3f x dense%s", prior.name().toLowerCase(Locale.ROOT), threshold,
        escalated, size, 100 * heavyUsage(), 100 * routedAccuracy, 100 * denseAccuracy, 100 * lightAccuracy,
        normalisedCost(), meetsTarget ? "" : " (target NOT met)");
  }

  /**
   * The exact threshold search described in the class comment.
   *
   * @param prior the routing prior
   * @param lightLogits the light expert's {@code [n, K]} logits on the validation inputs
   * @param heavyLogits the heavy expert's {@code [n, K]} logits on the same inputs
   * @param labels the true classes, {@code n} of them, each in {@code [0, K)}
   * @param lightCostFraction {@code c_L >= 0}
   * @param tolerance accuracy that may be lost against the dense model, in {@code [0, 1]}
   * @throws IllegalArgumentException on differing shapes, a label out of range, a NaN logit (naming
   *     the row) or a tolerance / cost out of range
   */
  public static ThresholdCalibration search(ConfidencePrior prior, Tensor lightLogits, Tensor heavyLogits,
      int[] labels, double lightCostFraction, double tolerance) {
    Objects.requireNonNull(prior, "prior");
    if (!lightLogits.shape().equals(heavyLogits.shape()) || lightLogits.shape().rank() != 2) {
      throw new IllegalArgumentException("light logits " + lightLogits.shape() + " and heavy logits "
          + heavyLogits.shape() + " must both be [n, classes]");
    }
    int n = lightLogits.shape().get(0);
    int k = lightLogits.shape().get(1);
    if (n < 1 || labels.length != n) {
      throw new IllegalArgumentException("calibration needs one label per validation input: " + n + " inputs, "
          + labels.length + " labels");
    }
    if (!(tolerance >= 0 && tolerance <= 1) || !(lightCostFraction >= 0) || Double.isInfinite(lightCostFraction)) {
      throw new IllegalArgumentException("tolerance must be in [0, 1] and light cost fraction >= 0, got " + tolerance
          + " and " + lightCostFraction);
    }
    int[] lp = RoutedBatch.argmax(lightLogits);
    int[] hp = RoutedBatch.argmax(heavyLogits);
    double[] score = new double[n];
    int lightRight = 0;
    int heavyRight = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= k) {
        throw new IllegalArgumentException("label " + labels[i] + " of validation input " + i + " is not in [0, " + k
            + ")");
      }
      score[i] = prior.score(lightLogits.data(), i, k);
      lightRight += lp[i] == labels[i] ? 1 : 0;
      heavyRight += hp[i] == labels[i] ? 1 : 0;
      int row = i;
      if (firstNonFinite(heavyLogits.data(), row, k) >= 0) {
        throw new IllegalArgumentException("heavy expert output row " + row + " has a NaN or infinite logit");
      }
    }
    boolean msp = prior == ConfidencePrior.MAX_SOFTMAX;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Comparator<Integer> risk = Comparator.comparingDouble(i -> score[i]);
    Arrays.sort(order, msp ? risk : risk.reversed());
    long target = (long) Math.ceil(n * (heavyRight / (double) n - tolerance) - 1e-9);
    int correct = lightRight;
    int bestK = 0;
    int bestCorrect = correct;
    int chosen = -1;
    for (int kk = 0; kk <= n; kk++) {
      if (kk > 0) {
        int i = order[kk - 1];
        correct += (hp[i] == labels[i] ? 1 : 0) - (lp[i] == labels[i] ? 1 : 0);
      }
      if (!Double.isFinite(thresholdFor(prior, score, order, kk, k))) {
        continue;
      }
      if (correct >= target) {
        chosen = kk;
        bestCorrect = correct;
        break;
      }
      if (correct > bestCorrect) {
        bestCorrect = correct;
        bestK = kk;
      }
    }
    int kk = chosen >= 0 ? chosen : bestK;
    return new ThresholdCalibration(prior, thresholdFor(prior, score, order, kk, k), kk, n, (double) lightRight / n,
        (double) heavyRight / n, (double) bestCorrect / n, lightCostFraction, chosen >= 0);
  }

  /** The threshold escalating exactly the first {@code kk} inputs in risk order, or NaN if none does. */
  static double thresholdFor(ConfidencePrior prior, double[] score, Integer[] order, int kk, int classes) {
    int n = order.length;
    boolean msp = prior == ConfidencePrior.MAX_SOFTMAX;
    double lo = msp ? 0 : Math.log(classes); // the "nothing escalates" end of the range
    double hi = msp ? 1 : 0; // the "everything escalates" end
    if (kk == 0) {
      return lo;
    }
    double a = score[order[kk - 1]]; // last escalated
    if (kk == n) {
      double t = (a + hi) / 2;
      return prior.escalates(a, t) ? t : prior.escalates(a, hi) ? hi : Double.NaN;
    }
    double b = score[order[kk]]; // first kept
    if (a == b) {
      return Double.NaN;
    }
    double t = (a + b) / 2;
    if (!prior.escalates(a, t) || prior.escalates(b, t)) {
      t = b; // adjacent doubles: b itself separates (escalate is strict)
    }
    return t;
  }

  private static int firstNonFinite(float[] d, int row, int k) {
    for (int c = 0; c < k; c++) {
      if (!Float.isFinite(d[row * k + c])) {
        return c;
      }
    }
    return -1;
  }
}
