package org.prunekit.core.tensor;

import java.util.Arrays;
import org.prunekit.core.graph.Shape;

/**
 * A dense, row-major float32 tensor on the Java heap.
 *
 * <p>This is the representation the model graph keeps its parameters and masks in: it holds no
 * native memory, so a {@link org.prunekit.core.graph.Graph} never needs closing. Engines (DJL,
 * ND4J) receive copies through {@link TensorConversions}; criteria read it through {@link
 * TensorData} without copying.
 *
 * <p>The data array is shared, not copied, by {@link #data()}: callers that mutate it mutate the
 * tensor. Use {@link #copy()} for an independent tensor.
 */
public final class Tensor implements TensorData {
  private final Shape shape;
  private final float[] data;

  /**
   * Wraps {@code data} (not copied) as a tensor of the given shape.
   *
   * @throws IllegalArgumentException if the element count differs from the shape's size
   */
  public Tensor(Shape shape, float[] data) {
    if (shape.size() != data.length) {
      throw new IllegalArgumentException(
          "tensor data has " + data.length + " elements but shape " + shape + " needs " + shape.size());
    }
    this.shape = shape;
    this.data = data;
  }

  /** A zero-filled tensor. */
  public static Tensor zeros(Shape shape) {
    return new Tensor(shape, new float[Math.toIntExact(shape.size())]);
  }

  /** A tensor with every element equal to {@code value}. */
  public static Tensor full(Shape shape, float value) {
    float[] d = new float[Math.toIntExact(shape.size())];
    Arrays.fill(d, value);
    return new Tensor(shape, d);
  }

  /** Wraps {@code data} with shape {@code dims}. */
  public static Tensor of(float[] data, int... dims) {
    return new Tensor(new Shape(dims), data);
  }

  @Override
  public Shape shape() {
    return shape;
  }

  /** The backing array (shared, row-major). */
  public float[] data() {
    return data;
  }

  @Override
  public float[] toFloatArray() {
    return data;
  }

  /** A deep copy. */
  public Tensor copy() {
    return new Tensor(shape, data.clone());
  }

  /** The same data seen with another shape of equal size. */
  public Tensor reshape(Shape newShape) {
    return new Tensor(newShape, data);
  }

  /** Number of elements. */
  public int size() {
    return data.length;
  }

  /** Index of the first NaN or infinite element, or -1 if all are finite. */
  public int firstNonFinite() {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Number of elements that are exactly zero. */
  public long countZeros() {
    long z = 0;
    for (float v : data) {
      if (v == 0f) {
        z++;
      }
    }
    return z;
  }

  /** True if shape and every bit of data are equal. */
  public boolean bitEquals(Tensor other) {
    if (!shape.equals(other.shape)) {
      return false;
    }
    for (int i = 0; i < data.length; i++) {
      if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(other.data[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "Tensor" + shape;
  }
}
