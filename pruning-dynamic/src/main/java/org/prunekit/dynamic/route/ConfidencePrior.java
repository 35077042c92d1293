package org.prunekit.dynamic.route;

import java.util.Locale;

/**
 * The zero-cost prior of hybrid routing (spec 3.3, a PROPOSAL there): a confidence figure computed
 * from the light expert's logits alone, which are already there after the light expert ran, so
 * deciding costs no extra network evaluation.
 *
 * <ul>
 *   <li>{@link #MAX_SOFTMAX} (default): {@code p_max = max_k softmax(z)_k} in {@code [1/K, 1]};
 *       an input escalates to the heavy expert when {@code p_max < τ}, {@code τ ∈ [0, 1]}.
 *   <li>{@link #ENTROPY}: {@code H = -Σ_k p_k ln p_k} (nats) in {@code [0, ln K]}; an input
 *       escalates when {@code H > τ}, {@code τ ∈ [0, ln K]}.
 * </ul>
 *
 * <p>Softmax is computed in double precision after subtracting the largest logit.
 */
public enum ConfidencePrior {
  /** Maximum softmax probability; escalate when it is below the threshold. */
  MAX_SOFTMAX,
  /** Softmax entropy in nats; escalate when it is above the threshold. */
  ENTROPY;

  /**
   * The prior of one row of logits.
   *
   * @param logits row-major logits {@code [rows, classes]}
   * @param row which row
   * @param classes number of classes {@code K >= 2}
   * @return {@code p_max} or the entropy
   * @throws IllegalArgumentException naming the row and class if a logit is NaN or infinite
   */
  public double score(float[] logits, int row, int classes) {
    int off = row * classes;
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      float z = logits[off + c];
      if (!Float.isFinite(z)) {
        throw new IllegalArgumentException("light expert output row " + row + " class " + c + " is " + z
            + ": the " + name().toLowerCase(Locale.ROOT) + " prior needs finite logits");
      }
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      sum += Math.exp(logits[off + c] - max);
    }
    if (this == MAX_SOFTMAX) {
      return 1.0 / sum; // exp(max - max) / sum
    }
    double h = 0;
    for (int c = 0; c < classes; c++) {
      double p = Math.exp(logits[off + c] - max) / sum;
      if (p > 0) {
        h -= p * Math.log(p);
      }
    }
    return Math.max(0, h);
  }

  /**
   * True when an input with prior {@code score} goes to the heavy expert at threshold {@code τ}:
   * {@code score < τ} for {@link #MAX_SOFTMAX}, {@code score > τ} for {@link #ENTROPY}.
   *
   * @throws IllegalArgumentException if {@code score} is NaN
   */
  public boolean escalates(double score, double threshold) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("prior score is NaN: cannot route");
    }
    return this == MAX_SOFTMAX ? score < threshold : score > threshold;
  }

  /** The largest valid threshold for {@code classes} classes: 1, or {@code ln K} for entropy. */
  public double maxThreshold(int classes) {
    return this == MAX_SOFTMAX ? 1.0 : Math.log(classes);
  }

  /**
   * Checks a threshold against this prior's range.
   *
   * @param classes the number of classes, or 0 when not known yet (entropy then only checks {@code
   *     τ >= 0})
   * @throws IllegalArgumentException naming the prior, value and range if {@code τ} is NaN or
   *     outside {@code [0, 1]} ({@link #MAX_SOFTMAX}) or {@code [0, ln K]} ({@link #ENTROPY})
   */
  public void checkThreshold(double threshold, int classes) {
    boolean ok = threshold >= 0 && (this == MAX_SOFTMAX ? threshold <= 1 : classes <= 0
        ? Double.isFinite(threshold) : threshold <= Math.log(classes) + 1e-12);
    if (!ok) {
      String range = this == MAX_SOFTMAX ? "[0, 1]"
          : classes <= 0 ? "[0, ln K]" : String.format(Locale.ROOT, "[0, ln %d = %.6f]", classes, Math.log(classes));
      throw new IllegalArgumentException("routing threshold " + threshold + " is outside the "
          + name().toLowerCase(Locale.ROOT) + " range " + range);
    }
  }
}
