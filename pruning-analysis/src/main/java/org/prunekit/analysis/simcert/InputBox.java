package org.prunekit.analysis.simcert;

import java.util.Arrays;
import java.util.Objects;

/**
 * An axis-aligned input region {@code X = Π_i [lo_i, hi_i]} over the flattened (row-major)
 * input of a network, with the uniform distribution of independent coordinates on it.
 *
 * @param lo lower corner
 * @param hi upper corner
 */
public record InputBox(double[] lo, double[] hi) {
  /**
   * Validates the corners.
   *
   * @throws IllegalArgumentException if the box is empty (no dimensions), the corners differ in
   *     length, a bound is not finite, or some {@code lo_i > hi_i} (naming the dimension)
   */
  public InputBox {
    Objects.requireNonNull(lo, "lo");
    Objects.requireNonNull(hi, "hi");
    if (lo.length == 0) {
      throw new IllegalArgumentException("input box has no dimensions");
    }
    if (lo.length != hi.length) {
      throw new IllegalArgumentException("input box corners differ in length: lo " + lo.length + ", hi " + hi.length);
    }
    for (int i = 0; i < lo.length; i++) {
      if (!Double.isFinite(lo[i]) || !Double.isFinite(hi[i])) {
        throw new IllegalArgumentException("input box dimension " + i + " has a non-finite bound [" + lo[i] + ", " + hi[i] + "]");
      }
      if (lo[i] > hi[i]) {
        throw new IllegalArgumentException(
            "input box dimension " + i + " is inverted (empty): lo " + lo[i] + " > hi " + hi[i]);
      }
    }
    lo = lo.clone();
    hi = hi.clone();
  }

  /** The box {@code [lo, hi]^n}. */
  public static InputBox uniform(int n, double lo, double hi) {
    if (n <= 0) {
      throw new IllegalArgumentException("input box needs at least one dimension, got " + n);
    }
    double[] l = new double[n];
    double[] h = new double[n];
    Arrays.fill(l, lo);
    Arrays.fill(h, hi);
    return new InputBox(l, h);
  }

  /**
   * The L∞ ball of {@code radius} around {@code center}, clipped to {@code [clipLo, clipHi]}
   * (e.g. the valid pixel range).
   *
   * @throws IllegalArgumentException if the radius is negative or not finite, or clipping
   *     empties a dimension
   */
  public static InputBox around(float[] center, double radius, double clipLo, double clipHi) {
    if (!(radius >= 0) || Double.isInfinite(radius)) {
      throw new IllegalArgumentException("radius must be finite and >= 0, got " + radius);
    }
    double[] l = new double[center.length];
    double[] h = new double[center.length];
    for (int i = 0; i < center.length; i++) {
      l[i] = Math.max(clipLo, center[i] - radius);
      h[i] = Math.min(clipHi, center[i] + radius);
    }
    return new InputBox(l, h);
  }

  /** Number of dimensions. */
  public int dims() {
    return lo.length;
  }

  @Override
  public double[] lo() {
    return lo.clone();
  }

  @Override
  public double[] hi() {
    return hi.clone();
  }

  /** Lower bound of dimension {@code i}. */
  public double lo(int i) {
    return lo[i];
  }

  /** Upper bound of dimension {@code i}. */
  public double hi(int i) {
    return hi[i];
  }

  /** Width {@code hi_i - lo_i}. */
  public double width(int i) {
    return hi[i] - lo[i];
  }

  /** Mean of coordinate {@code i} under the uniform distribution: the midpoint. */
  public double mean(int i) {
    return 0.5 * (lo[i] + hi[i]);
  }

  /** Variance of coordinate {@code i} under the uniform distribution: {@code width^2 / 12}. */
  public double variance(int i) {
    double w = hi[i] - lo[i];
    return w * w / 12.0;
  }

  /** The lower ({@code upperHalf == false}) or upper half of the box bisected at dimension {@code dim}. */
  public InputBox half(int dim, boolean upperHalf) {
    double mid = mean(dim);
    double[] l = lo.clone();
    double[] h = hi.clone();
    if (upperHalf) {
      l[dim] = mid;
    } else {
      h[dim] = mid;
    }
    return new InputBox(l, h);
  }

  /** True if {@code x} (flattened) lies in the box. */
  public boolean contains(float[] x) {
    if (x.length != lo.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i] < lo[i] || x[i] > hi[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputBox b && Arrays.equals(b.lo, lo) && Arrays.equals(b.hi, hi);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(lo) + Arrays.hashCode(hi);
  }

  @Override
  public String toString() {
    return "InputBox(" + lo.length + " dims)";
  }
}
