package org.prunekit.criteria.sparsegpt;

import java.util.Objects;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;

/**
 * Streams calibration inputs of one layer into SparseGPT's Hessian {@code H = 2 X^T X / n} (spec
 * B8), with {@code X} the stacked calibration inputs {@code [tokens, in]} and {@code n} the number
 * of tokens seen.
 *
 * <p>Memory is bounded by one {@code in x in} {@code double} matrix (the running sum {@code X^T
 * X}) whatever the number of batches; batches are never stored. Sums are kept in {@code double},
 * so feeding the data in one batch or many gives the same matrix up to summation order. The
 * reference divides by the number of <em>sequences</em> instead of tokens; {@code H}'s scale does
 * not change SparseGPT's result (dampening is relative to the mean diagonal, and the mask score and
 * the update are both invariant to scaling {@code H}), so only rounding differs.
 *
 * <p>For a conv layer feed im2col rows (length {@code C_in * kernel elements}, the columns of the
 * weight's {@code [out, in*k...]} view). Thread-safe ({@link #add} is synchronised).
 */
public final class HessianAccumulator {
  /** Tokens folded into one cache-friendly block of the rank-k update. */
  private static final int CHUNK = 128;

  private final String layer;
  private final int width;
  private final double[] xtx;
  private long tokens;

  /**
   * An empty accumulator.
   *
   * @param layer the layer or parameter name, for messages
   * @param width the input width {@code in} (columns of the weight's matrix view)
   * @throws IllegalArgumentException unless {@code width > 0} and {@code width^2} fits an array
   */
  public HessianAccumulator(String layer, int width) {
    this.layer = Objects.requireNonNull(layer, "layer");
    if (width <= 0 || (long) width * width > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("Hessian of '" + layer + "': input width must be in [1, 46340], got "
          + width);
    }
    this.width = width;
    this.xtx = new double[width * width];
  }

  /** The layer name given at construction. */
  public String layer() {
    return layer;
  }

  /** The input width {@code in}. */
  public int width() {
    return width;
  }

  /** Number of calibration tokens (rows of {@code X}) accumulated so far. */
  public synchronized long tokens() {
    return tokens;
  }

  /**
   * Adds a batch of calibration inputs whose last axis is the input width (tokens = product of the
   * leading axes; a rank-1 tensor is one token). The batch is validated whole before anything is
   * added, so a rejected batch leaves the accumulator unchanged.
   *
   * @throws IllegalArgumentException naming the layer if the last axis is not {@link #width()} or
   *     a value is NaN or infinite (naming its flat index)
   */
  public void add(TensorData inputs) {
    Objects.requireNonNull(inputs, "inputs");
    Shape s = inputs.shape();
    if (s.rank() == 0 || s.get(s.rank() - 1) != width) {
      throw new IllegalArgumentException("calibration inputs of '" + layer + "' have shape " + s
          + ", but the layer's input width is " + width + " (need [..., " + width + "])");
    }
    float[] x = inputs.toFloatArray();
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i])) {
        throw new IllegalArgumentException("calibration input of '" + layer + "' is " + x[i] + " at flat index "
            + i + " (shape " + s + ")");
      }
    }
    int n = x.length / width;
    double[] cols = new double[width * Math.min(CHUNK, Math.max(n, 1))];
    synchronized (this) {
      for (int t0 = 0; t0 < n; t0 += CHUNK) {
        int c = Math.min(CHUNK, n - t0);
        // transpose the chunk to [width][c] so the inner product below runs over contiguous memory
        for (int t = 0; t < c; t++) {
          int base = (t0 + t) * width;
          for (int j = 0; j < width; j++) {
            cols[j * c + t] = x[base + j];
          }
        }
        for (int i = 0; i < width; i++) {
          int ci = i * c;
          int ri = i * width;
          for (int j = i; j < width; j++) {
            int cj = j * c;
            double dot = 0;
            for (int t = 0; t < c; t++) {
              dot += cols[ci + t] * cols[cj + t];
            }
            xtx[ri + j] += dot;
          }
        }
      }
      tokens += n;
    }
  }

  /**
   * The Hessian {@code H = 2 X^T X / n}, a fresh full symmetric row-major {@code [in * in]} array.
   *
   * @throws IllegalArgumentException naming the layer if no token was accumulated (empty
   *     calibration)
   */
  public synchronized double[] hessian() {
    if (tokens == 0) {
      throw new IllegalArgumentException("empty calibration for '" + layer
          + "': no calibration token was accumulated into its Hessian");
    }
    double scale = 2.0 / tokens;
    double[] h = new double[width * width];
    for (int i = 0; i < width; i++) {
      for (int j = i; j < width; j++) {
        double v = xtx[i * width + j] * scale;
        h[i * width + j] = v;
        h[j * width + i] = v;
      }
    }
    return h;
  }

  /** Forgets everything accumulated. */
  public synchronized void reset() {
    java.util.Arrays.fill(xtx, 0);
    tokens = 0;
  }

  @Override
  public synchronized String toString() {
    return "HessianAccumulator[" + layer + ", in=" + width + ", tokens=" + tokens + "]";
  }
}
