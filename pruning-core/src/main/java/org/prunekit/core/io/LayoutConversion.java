package org.prunekit.core.io;

import java.util.Arrays;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * How a stored tensor's axes map onto a PruneKit parameter's layout (PyTorch-style {@code [out,
 * in, k...]}). Every conversion is explicit: the loader never guesses a layout from shapes.
 */
public enum LayoutConversion {
  /** The stored tensor already has the parameter's layout. */
  IDENTITY,
  /**
   * A Keras/TensorFlow convolution kernel {@code [k1, .., kN, in, out]} (HWIO for 2D) to {@code
   * [out, in, k1, .., kN]} (OIHW). Works for 1D, 2D and 3D kernels.
   */
  KERAS_CONV_TO_OIHW,
  /**
   * A Keras {@code DepthwiseConv2D} kernel {@code [kh, kw, channels, multiplier]} to a grouped
   * conv weight {@code [channels * multiplier, 1, kh, kw]} (output channel {@code c * multiplier
   * + m}, as Keras orders them).
   */
  KERAS_DEPTHWISE_TO_OIHW,
  /** A Keras {@code Dense} kernel {@code [in, out]} to a linear weight {@code [out, in]} (a transpose). */
  KERAS_DENSE_TO_OI;

  /**
   * The shape the converted tensor will have.
   *
   * @throws IllegalArgumentException if the stored rank does not fit this conversion
   */
  public Shape convertShape(Shape stored) {
    int r = stored.rank();
    switch (this) {
      case IDENTITY -> {
        return stored;
      }
      case KERAS_DENSE_TO_OI -> {
        requireRank(stored, r == 2, "2 ([in, out])");
        return new Shape(stored.get(1), stored.get(0));
      }
      case KERAS_CONV_TO_OIHW -> {
        requireRank(stored, r >= 3 && r <= 5, "3 to 5 ([k..., in, out])");
        return permuteShape(stored, convPerm(r));
      }
      case KERAS_DEPTHWISE_TO_OIHW -> {
        requireRank(stored, r == 4, "4 ([kh, kw, channels, multiplier])");
        return new Shape(stored.get(2) * stored.get(3), 1, stored.get(0), stored.get(1));
      }
      default -> throw new AssertionError(this);
    }
  }

  /** Converts a stored tensor into a fresh tensor of {@link #convertShape} (IDENTITY copies). */
  public Tensor apply(Tensor stored) {
    Shape s = stored.shape();
    int r = s.rank();
    return switch (this) {
      case IDENTITY -> stored.copy();
      case KERAS_DENSE_TO_OI -> permute(stored, new int[] {1, 0});
      case KERAS_CONV_TO_OIHW -> permute(stored, convPerm(r));
      case KERAS_DEPTHWISE_TO_OIHW -> {
        convertShape(s);
        Tensor p = permute(stored, new int[] {2, 3, 0, 1}); // [c, m, kh, kw]
        yield p.reshape(convertShape(s));
      }
    };
  }

  private void requireRank(Shape s, boolean ok, String want) {
    if (!ok) {
      throw new IllegalArgumentException(name() + " needs a stored tensor of rank " + want + ", got " + s);
    }
  }

  private static int[] convPerm(int r) {
    int[] p = new int[r];
    p[0] = r - 1;
    p[1] = r - 2;
    for (int i = 2; i < r; i++) {
      p[i] = i - 2;
    }
    return p;
  }

  private static Shape permuteShape(Shape s, int[] perm) {
    int[] d = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      d[i] = s.get(perm[i]);
    }
    return new Shape(d);
  }

  /**
   * Transposes {@code t}: axis {@code i} of the result is axis {@code perm[i]} of {@code t}.
   *
   * @throws IllegalArgumentException if {@code perm} is not a permutation of the axes
   */
  public static Tensor permute(Tensor t, int[] perm) {
    int r = t.shape().rank();
    int[] sorted = perm.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < r; i++) {
      if (sorted.length != r || sorted[i] != i) {
        throw new IllegalArgumentException("not a permutation of " + r + " axes: " + Arrays.toString(perm));
      }
    }
    int[] in = t.shape().dims();
    int[] inStride = new int[r];
    int s = 1;
    for (int i = r - 1; i >= 0; i--) {
      inStride[i] = s;
      s *= in[i];
    }
    Shape outShape = permuteShape(t.shape(), perm);
    int[] out = outShape.dims();
    int[] step = new int[r];
    for (int i = 0; i < r; i++) {
      step[i] = inStride[perm[i]];
    }
    float[] src = t.data();
    float[] dst = new float[src.length];
    int[] idx = new int[r];
    int off = 0;
    for (int i = 0; i < dst.length; i++) {
      dst[i] = src[off];
      for (int k = r - 1; k >= 0; k--) {
        off += step[k];
        if (++idx[k] < out[k]) {
          break;
        }
        off -= step[k] * out[k];
        idx[k] = 0;
      }
    }
    return new Tensor(outShape, dst);
  }
}
