package org.prunekit.core.tensor;

import java.util.Objects;
import org.prunekit.core.graph.Shape;

/**
 * A keep mask stored as one unsigned byte per weight (1 = keep, 0 = pruned), row-major: the
 * layout of a NumPy {@code bool}/{@code uint8} mask and of the mask the Wanda authors build
 * ({@code torch.zeros_like(W) == 1}, one byte per element).
 *
 * <p>Why beside float {@link Tensor} masks: for a LLaMA-7B MLP layer (4096 x 11008) a float32 mask
 * is 180 MB, as large as the weight, and allocating, zeroing and writing it costs more than a whole
 * pass over the weights; a byte mask is a quarter of that. Criteria that can select without a score
 * tensor produce it directly (see {@code ColumnScaledMagnitude#rowMaskBytes} in pruning-criteria);
 * {@link #toTensor()} converts when a {@link org.prunekit.core.graph.Parameter} mask is needed.
 *
 * <p>The backing array is not copied on the way in or out ({@link #bytes()}): masks are big.
 * Callers must not modify it after handing it over. Values are checked to be 0 or 1 by
 * {@link #of(Shape, byte[])}; the unchecked {@link #wrap} is for producers that write only 0/1.
 */
public final class ByteMask {
  private final Shape shape;
  private final byte[] keep;

  private ByteMask(Shape shape, byte[] keep) {
    this.shape = Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(keep, "keep");
    if (keep.length != shape.size()) {
      throw new IllegalArgumentException("mask has " + keep.length + " bytes, shape " + shape + " needs " + shape.size());
    }
    this.keep = keep;
  }

  /**
   * A mask over {@code keep}, checking every value.
   *
   * @throws IllegalArgumentException if the length does not match the shape or a value is not 0/1
   *     (naming the index)
   */
  public static ByteMask of(Shape shape, byte[] keep) {
    ByteMask m = new ByteMask(shape, keep);
    for (int i = 0; i < keep.length; i++) {
      if ((keep[i] & ~1) != 0) {
        throw new IllegalArgumentException("mask byte " + (keep[i] & 0xFF) + " at index " + i + "; masks hold 0 or 1");
      }
    }
    return m;
  }

  /**
   * A mask over {@code keep} without checking the values (only the length): for producers that
   * write nothing but 0 and 1.
   */
  public static ByteMask wrap(Shape shape, byte[] keep) {
    return new ByteMask(shape, keep);
  }

  /**
   * The byte mask of a 0/1 float mask.
   *
   * @throws IllegalArgumentException naming the index of a value that is not 0 or 1
   */
  public static ByteMask fromTensor(TensorData mask) {
    float[] v = mask.toFloatArray();
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      if (v[i] == 1f) {
        b[i] = 1;
      } else if (v[i] != 0f) {
        throw new IllegalArgumentException("mask value " + v[i] + " at index " + i + "; masks hold 0 or 1");
      }
    }
    return new ByteMask(mask.shape(), b);
  }

  /** The mask's shape (the weight's). */
  public Shape shape() {
    return shape;
  }

  /** Number of elements. */
  public int size() {
    return keep.length;
  }

  /** The backing array, row-major, 1 = keep (not a copy: do not modify). */
  public byte[] bytes() {
    return keep;
  }

  /** Whether element {@code i} (row-major) is kept. */
  public boolean kept(int i) {
    return keep[i] != 0;
  }

  /** Number of kept elements. */
  public long keptCount() {
    long n = 0;
    for (byte b : keep) {
      n += b;
    }
    return n;
  }

  /** The same mask as a float {@link Tensor} (1f = keep), e.g. for {@code Parameter.setMask}. */
  public Tensor toTensor() {
    float[] f = new float[keep.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = keep[i];
    }
    return new Tensor(shape, f);
  }

  @Override
  public String toString() {
    return "ByteMask" + shape + " kept " + keptCount() + "/" + keep.length;
  }
}
