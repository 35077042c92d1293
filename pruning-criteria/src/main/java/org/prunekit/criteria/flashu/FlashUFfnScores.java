package org.prunekit.criteria.flashu;

import java.util.Arrays;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;

/**
 * FlashU's structured Wanda scores and keep count (spec 3.5 (a), FlashU's {@code WandaPruner} and
 * {@code _prune_ffn_layer}).
 *
 * <pre>
 *   output-neuron layers (gate, up, q, k, v):  score_i = sum_j |W_ij| * ||X_j||_2     (per row)
 *   input-neuron layers (down, o):             score_j = ||X_j||_2 * sum_i |W_ij|     (per column)
 *   keep = floor((I - floor(I * r_p)) / 64) * 64
 *          if that is 0: 64, or, when 64 > I, max(I - floor(I * r_p), 1)
 * </pre>
 *
 * An FFN intermediate neuron {@code j} is scored by the <b>down</b> projection's column score, with
 * {@code ||X_j||} the calibration norm of the down projection's input (the activated hidden
 * neuron). {@code ||X_j||_2} is the square root of the sum over all calibration tokens of {@code
 * x_j^2} (FlashU sums, it does not average). Arithmetic in double.
 */
public final class FlashUFfnScores {
  /** FlashU's GPU-friendly multiple ({@code FRIENDLY_MULTIPLE}). */
  public static final int FRIENDLY_MULTIPLE = 64;
  /** FlashU's default FFN prune ratio {@code r_p}. */
  public static final double DEFAULT_RATIO = 0.20;

  private FlashUFfnScores() {}

  /**
   * Row scores of an output-neuron layer: {@code score_i = sum_j |W_ij| * sqrt(sq_j)}.
   *
   * @param name the parameter, for messages
   * @param weight {@code [out, in]}
   * @param squaredNorms {@code ||X_j||^2} per input column
   * @throws IllegalArgumentException naming the parameter if the widths differ or a value is invalid
   */
  public static double[] outputNeuronScores(String name, TensorData weight, double[] squaredNorms) {
    int[] rc = check(name, weight, squaredNorms);
    float[] w = weight.toFloatArray();
    double[] n = sqrt(squaredNorms);
    double[] s = new double[rc[0]];
    for (int r = 0; r < rc[0]; r++) {
      double acc = 0;
      for (int j = 0, i = r * rc[1]; j < rc[1]; j++, i++) {
        acc += Math.abs(w[i]) * n[j];
      }
      s[r] = acc;
    }
    return s;
  }

  /**
   * Column scores of an input-neuron layer: {@code score_j = sqrt(sq_j) * sum_i |W_ij|}.
   *
   * @param name the parameter, for messages
   * @param weight {@code [out, in]}
   * @param squaredNorms {@code ||X_j||^2} per input column
   * @throws IllegalArgumentException naming the parameter if the widths differ or a value is invalid
   */
  public static double[] inputNeuronScores(String name, TensorData weight, double[] squaredNorms) {
    int[] rc = check(name, weight, squaredNorms);
    float[] w = weight.toFloatArray();
    double[] colAbs = new double[rc[1]];
    for (int i = 0; i < w.length; i++) {
      colAbs[i % rc[1]] += Math.abs(w[i]);
    }
    double[] n = sqrt(squaredNorms);
    for (int j = 0; j < colAbs.length; j++) {
      colAbs[j] *= n[j];
    }
    return colAbs;
  }

  /** {@link #keepCount(int, double, int)} with the multiple 64. */
  public static int keepCount(int size, double ratio) {
    return keepCount(size, ratio, FRIENDLY_MULTIPLE);
  }

  /**
   * FlashU's keep count: {@code floor((size - floor(size * ratio)) / multiple) * multiple}; if that
   * is 0, {@code multiple}; if {@code multiple > size}, {@code max(size - floor(size * ratio), 1)}.
   * ({@code floor(size * ratio)} is Python's {@code int()} of the double product.)
   *
   * @throws IllegalArgumentException unless {@code size >= 1}, {@code 0 <= ratio < 1} and {@code
   *     multiple >= 1}
   */
  public static int keepCount(int size, double ratio, int multiple) {
    if (size < 1) {
      throw new IllegalArgumentException("FFN width must be >= 1, got " + size);
    }
    if (!(ratio >= 0 && ratio < 1)) {
      throw new IllegalArgumentException("FFN prune ratio must be in [0, 1), got " + ratio);
    }
    if (multiple < 1) {
      throw new IllegalArgumentException("keep multiple must be >= 1, got " + multiple);
    }
    int ideal = size - (int) Math.floor(size * ratio);
    int keep = ideal / multiple * multiple;
    if (keep <= 0) {
      keep = multiple;
      if (keep > size) {
        keep = Math.max(ideal, 1);
      }
    }
    return keep;
  }

  /**
   * The {@code keep} highest-scoring indices, ascending. Among equal scores the lower index is
   * dropped first (the SDK's stable-ascending rule; FlashU's {@code torch.topk} leaves ties open).
   *
   * @throws IllegalArgumentException if {@code keep} is outside {@code [1, scores.length]} or a score is NaN
   */
  public static int[] keepIndices(double[] scores, int keep) {
    if (keep < 1 || keep > scores.length) {
      throw new IllegalArgumentException("cannot keep " + keep + " of " + scores.length + " neurons");
    }
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("neuron score " + i + " is NaN");
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b])); // stable ascending
    int drop = scores.length - keep;
    int[] kept = new int[keep];
    for (int i = 0; i < keep; i++) {
      kept[i] = order[drop + i];
    }
    Arrays.sort(kept);
    return kept;
  }

  private static int[] check(String name, TensorData weight, double[] sq) {
    Shape s = weight.shape();
    if (s.rank() != 2) {
      throw new IllegalArgumentException("FlashU scores of '" + name + "' need a linear weight [out, in], got " + s);
    }
    if (sq.length != s.get(1)) {
      throw new IllegalArgumentException("calibration norms of '" + name + "' have " + sq.length
          + " entries, but weight " + s + " has " + s.get(1) + " input columns");
    }
    for (int j = 0; j < sq.length; j++) {
      if (!(sq[j] >= 0) || Double.isInfinite(sq[j])) {
        throw new IllegalArgumentException("input column norm " + j + " of '" + name + "' is " + sq[j]
            + "; squared norms must be finite and >= 0");
      }
    }
    float[] w = weight.toFloatArray();
    for (int i = 0; i < w.length; i++) {
      if (!Float.isFinite(w[i])) {
        throw new IllegalArgumentException("weight '" + name + "' holds " + w[i] + " at flat index " + i);
      }
    }
    return new int[] {s.get(0), s.get(1)};
  }

  private static double[] sqrt(double[] sq) {
    double[] n = new double[sq.length];
    for (int j = 0; j < n.length; j++) {
      n[j] = Math.sqrt(sq[j]);
    }
    return n;
  }
}
