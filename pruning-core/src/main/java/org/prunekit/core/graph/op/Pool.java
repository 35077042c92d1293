package org.prunekit.core.graph.op;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.Shape;

/**
 * Max or average pooling over {@code [batch, channels, spatial...]} windows.
 *
 * @param countIncludePad for average pooling: whether padded zeros count in the divisor (PyTorch
 *     default true, ONNX default false)
 */
public record Pool(
    Kind kind, int spatialDims, int[] kernel, int[] stride, Padding padding, boolean countIncludePad)
    implements Op {

  /** The reduction. */
  public enum Kind {
    /** Maximum over the window. */
    MAX,
    /** Mean over the window. */
    AVG
  }

  /** Validates the geometry. */
  public Pool {
    Objects.requireNonNull(kind, "kind");
    if (spatialDims < 1 || spatialDims > 3) {
      throw new IllegalArgumentException("pool spatialDims must be 1, 2 or 3, got " + spatialDims);
    }
    ShapeChecks.length("pool kernel", kernel, spatialDims);
    ShapeChecks.length("pool stride", stride, spatialDims);
    ShapeChecks.length("pool padding", padding.begin(), spatialDims);
    ShapeChecks.positive("pool kernel", kernel);
    ShapeChecks.positive("pool stride", stride);
    kernel = kernel.clone();
    stride = stride.clone();
  }

  /** A square window of size {@code k} with stride {@code k} and no padding. */
  public static Pool of(Kind kind, int spatialDims, int k) {
    int[] a = ShapeChecks.filled(spatialDims, k);
    return new Pool(kind, spatialDims, a, a, Padding.valid(spatialDims), true);
  }

  @Override
  public String type() {
    return "pool";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(
        x.rank() == spatialDims + 2, node, in, "pool" + spatialDims + "d needs rank " + (spatialDims + 2) + " input");
    int[] out = Windows.outputSize(node, in, x, kernel, stride, padding, ShapeChecks.filled(spatialDims, 1));
    return Windows.spatialShape(x.get(0), x.get(1), out);
  }

  @Override
  public int[] kernel() {
    return kernel.clone();
  }

  @Override
  public int[] stride() {
    return stride.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pool p && p.kind == kind && p.spatialDims == spatialDims && Arrays.equals(p.kernel, kernel)
        && Arrays.equals(p.stride, stride) && p.padding.equals(padding) && p.countIncludePad == countIncludePad;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, spatialDims, Arrays.hashCode(kernel), Arrays.hashCode(stride), padding, countIncludePad);
  }
}
