package org.prunekit.core.graph;

import java.util.Arrays;

/**
 * An immutable tensor shape. Dimensions are non-negative; {@code -1} is only allowed in a {@link
 * org.prunekit.core.graph.op.Reshape} target.
 */
public final class Shape {
  private final int[] dims;

  /** Creates a shape; the array is copied. */
  public Shape(int... dims) {
    this.dims = dims.clone();
  }

  /** Creates a shape from long dimensions (as DJL and ND4J report them). */
  public static Shape ofLongs(long... dims) {
    int[] d = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      d[i] = Math.toIntExact(dims[i]);
    }
    return new Shape(d);
  }

  /** Number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}; negative indices count from the end. */
  public int get(int i) {
    return dims[i < 0 ? dims.length + i : i];
  }

  /** A copy of the dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** The dimensions as longs (DJL / ND4J style). */
  public long[] toLongArray() {
    long[] l = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      l[i] = dims[i];
    }
    return l;
  }

  /** Product of all dimensions (1 for a scalar). */
  public long size() {
    long s = 1;
    for (int d : dims) {
      s *= d;
    }
    return s;
  }

  /** Product of dimensions {@code from} (inclusive) to the end. */
  public long sizeFrom(int from) {
    long s = 1;
    for (int i = from; i < dims.length; i++) {
      s *= dims[i];
    }
    return s;
  }

  /** This shape with {@code batch} prepended. */
  public Shape withBatch(int batch) {
    int[] d = new int[dims.length + 1];
    d[0] = batch;
    System.arraycopy(dims, 0, d, 1, dims.length);
    return new Shape(d);
  }

  /** This shape without its first dimension. */
  public Shape dropFirst() {
    return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
  }

  /** This shape with dimension {@code i} replaced by {@code value}. */
  public Shape with(int i, int value) {
    int[] d = dims.clone();
    d[i < 0 ? d.length + i : i] = value;
    return new Shape(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
