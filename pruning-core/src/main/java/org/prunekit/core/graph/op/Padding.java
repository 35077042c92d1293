package org.prunekit.core.graph.op;

import java.util.Arrays;
import java.util.Objects;

/**
 * Spatial padding of a convolution or pooling window.
 *
 * <p>{@link Mode#EXPLICIT} pads {@code begin[i]} before and {@code end[i]} after spatial axis
 * {@code i}. {@link Mode#SAME_UPPER} is TensorFlow/Keras {@code "same"} (output = ceil(in /
 * stride), the odd extra pixel at the end); {@link Mode#SAME_LOWER} puts it at the beginning.
 * SAME paddings are resolved against the actual input size by {@link #resolve}.
 */
public record Padding(Mode mode, int[] begin, int[] end) {
  /** How the padding amounts are found. */
  public enum Mode {
    /** Fixed amounts in {@code begin} and {@code end}. */
    EXPLICIT,
    /** TensorFlow SAME: extra padding at the end. */
    SAME_UPPER,
    /** SAME with extra padding at the beginning. */
    SAME_LOWER
  }

  /** Validates the amounts. */
  public Padding {
    Objects.requireNonNull(mode, "mode");
    begin = begin.clone();
    end = end.clone();
    if (begin.length != end.length) {
      throw new IllegalArgumentException(
          "padding begin " + Arrays.toString(begin) + " and end " + Arrays.toString(end) + " differ in length");
    }
    for (int i = 0; i < begin.length; i++) {
      if (begin[i] < 0 || end[i] < 0) {
        throw new IllegalArgumentException("negative padding " + Arrays.toString(begin) + "/" + Arrays.toString(end));
      }
    }
  }

  /** Symmetric explicit padding {@code p} on each of {@code dims} axes. */
  public static Padding symmetric(int dims, int p) {
    return new Padding(Mode.EXPLICIT, ShapeChecks.filled(dims, p), ShapeChecks.filled(dims, p));
  }

  /** No padding. */
  public static Padding valid(int dims) {
    return symmetric(dims, 0);
  }

  /** TensorFlow SAME padding on {@code dims} axes. */
  public static Padding same(int dims) {
    return new Padding(Mode.SAME_UPPER, new int[dims], new int[dims]);
  }

  /**
   * The explicit {@code [begin..., end...]} amounts for a given input size.
   *
   * @param inSize spatial input sizes
   * @param kernel window sizes
   * @param stride strides
   * @param dilation dilations
   * @return an explicit padding
   */
  public Padding resolve(int[] inSize, int[] kernel, int[] stride, int[] dilation) {
    if (mode == Mode.EXPLICIT) {
      return this;
    }
    int n = inSize.length;
    int[] b = new int[n];
    int[] e = new int[n];
    for (int i = 0; i < n; i++) {
      int out = (inSize[i] + stride[i] - 1) / stride[i];
      int eff = (kernel[i] - 1) * dilation[i] + 1;
      int total = Math.max((out - 1) * stride[i] + eff - inSize[i], 0);
      int small = total / 2;
      b[i] = mode == Mode.SAME_UPPER ? small : total - small;
      e[i] = total - b[i];
    }
    return new Padding(Mode.EXPLICIT, b, e);
  }

  /** True when explicit and begin equals end on every axis. */
  public boolean isSymmetric() {
    return mode == Mode.EXPLICIT && Arrays.equals(begin, end);
  }

  @Override
  public int[] begin() {
    return begin.clone();
  }

  @Override
  public int[] end() {
    return end.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Padding p && p.mode == mode && Arrays.equals(p.begin, begin) && Arrays.equals(p.end, end);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, Arrays.hashCode(begin), Arrays.hashCode(end));
  }

  @Override
  public String toString() {
    return mode == Mode.EXPLICIT ? Arrays.toString(begin) + "/" + Arrays.toString(end) : mode.name();
  }
}
