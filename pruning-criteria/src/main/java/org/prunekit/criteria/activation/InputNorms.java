package org.prunekit.criteria.activation;

import java.util.Arrays;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;

/**
 * Calibration input statistics in the form {@link org.prunekit.criteria.ScoringContext} wants:
 * {@code ||X_j||^2}, the sum over all calibration tokens of the squared input value of column
 * {@code j} of the weight's {@code [out, in*k...]} view (spec 0.1, 0.7), validated.
 *
 * <p>Wanda's reference keeps the mean over sequences of these sums instead; the two differ by one
 * positive factor per layer, so every criterion here ranks identically with either.
 *
 * <h2>Convolutions</h2>
 *
 * <p>A conv weight {@code [C_out, C_in, k...]} is scored as {@code [C_out, C_in*K]} ({@code K} =
 * product of the kernel sizes), column {@code c*K + e} for input channel {@code c} and kernel
 * element {@code e}. The exact column norm is that of the im2col matrix: for each kernel offset,
 * the channel's values at the positions that offset reads. Feed those when you have them (length
 * {@code C_in*K}). Per-channel statistics (as a channel-axis activation hook gives, length {@code
 * C_in}) can be turned into columns with {@link #expandChannels}, which repeats each channel's
 * norm over its {@code K} elements. That equals the im2col norm when every kernel offset sees
 * every input position (stride 1, "same" padding away from borders) and otherwise approximates it
 * (border and stride effects); the ranking inside one kernel window is then by {@code |W|} alone.
 */
public final class InputNorms {
  private InputNorms() {}

  /**
   * The column sums of squares of calibration activations {@code x} whose last axis is the input
   * width (tokens = product of the other axes; a rank-1 tensor is one token).
   *
   * @param layer the layer or parameter, for messages
   * @throws IllegalArgumentException naming the layer if there are no tokens (empty calibration)
   *     or a value is NaN or infinite (naming its flat index)
   */
  public static double[] fromActivations(String layer, TensorData x) {
    Shape s = x.shape();
    if (s.rank() == 0) {
      throw new IllegalArgumentException("calibration activations of '" + layer + "' are a scalar; need [tokens, in]");
    }
    int width = s.get(s.rank() - 1);
    float[] v = x.toFloatArray();
    long tokens = width == 0 ? 0 : v.length / width;
    if (tokens == 0) {
      throw new IllegalArgumentException("empty calibration for '" + layer + "': activations of shape " + s
          + " hold 0 tokens");
    }
    double[] out = new double[width];
    for (int i = 0; i < v.length; i++) {
      float f = v[i];
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException("calibration activation of '" + layer + "' is " + f + " at flat index "
            + i + " (shape " + s + ")");
      }
      out[i % width] += (double) f * f;
    }
    return out;
  }

  /**
   * Validates accumulated sums of squares and returns a copy.
   *
   * @param layer the layer or parameter, for messages
   * @param sumSquares per column, the sum over tokens of {@code x_j^2}
   * @param tokens how many tokens were accumulated
   * @throws IllegalArgumentException naming the layer if {@code tokens <= 0} (empty calibration)
   *     or a value is negative, NaN or infinite (naming the column)
   */
  public static double[] fromSumSquares(String layer, double[] sumSquares, long tokens) {
    if (tokens <= 0) {
      throw new IllegalArgumentException("empty calibration for '" + layer + "': " + tokens
          + " tokens were accumulated");
    }
    requireValid(layer, sumSquares);
    return sumSquares.clone();
  }

  /**
   * Per-channel statistics of a conv input expanded to the columns of the weight's {@code [C_out,
   * C_in*K]} view: each channel's value repeated over its {@code K} kernel elements (see the class
   * comment for when this is exact).
   *
   * @param layer the layer or parameter, for messages
   * @param perChannel one value per input channel ({@code weightShape[1]} entries, i.e. an
   *     ungrouped conv: in a grouped conv the rows of each group read different channels, which one
   *     column vector cannot express, so the {@code C_in} channel statistics are rejected there)
   * @param weightShape the conv weight's shape {@code [C_out, C_in/groups, k...]}
   * @throws IllegalArgumentException naming the layer and both widths if {@code perChannel} does
   *     not have {@code weightShape[1]} entries, or a value is invalid
   */
  public static double[] expandChannels(String layer, double[] perChannel, Shape weightShape) {
    if (weightShape.rank() < 2) {
      throw new IllegalArgumentException("weight of '" + layer + "' has shape " + weightShape
          + "; expanding per-channel norms needs [out, in, k...]");
    }
    int channels = weightShape.get(1);
    if (perChannel.length != channels) {
      throw new IllegalArgumentException("per-channel input norms of '" + layer + "' have " + perChannel.length
          + " entries, but weight " + weightShape + " has " + channels + " input channels");
    }
    requireValid(layer, perChannel);
    int k = Math.toIntExact(weightShape.sizeFrom(2));
    double[] out = new double[Math.multiplyExact(channels, k)];
    for (int c = 0; c < channels; c++) {
      Arrays.fill(out, c * k, (c + 1) * k, perChannel[c]);
    }
    return out;
  }

  /**
   * Checks that some column norm is positive: all zeros means no calibration signal reached the
   * layer (e.g. zero tokens), which would make every activation-weighted score zero.
   *
   * @throws IllegalArgumentException naming the criterion and parameter
   */
  static void requireSignal(String criterion, String parameter, double[] squaredNorms) {
    for (double v : squaredNorms) {
      if (v > 0) {
        return;
      }
    }
    throw new IllegalArgumentException("criterion '" + criterion + "': every input column norm of '" + parameter
        + "' is zero (empty calibration?); activation-weighted scores would all be zero");
  }

  private static void requireValid(String layer, double[] v) {
    for (int j = 0; j < v.length; j++) {
      if (!(v[j] >= 0) || Double.isInfinite(v[j])) {
        throw new IllegalArgumentException("input column norm " + j + " of '" + layer + "' is " + v[j]
            + "; squared norms must be finite and >= 0");
      }
    }
  }
}
