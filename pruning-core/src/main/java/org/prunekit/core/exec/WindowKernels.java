package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import java.util.Arrays;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;

/**
 * Convolution and pooling. Padding is resolved against the real input size ({@link
 * Padding#resolve}); symmetric amounts go to the engine's own padding, asymmetric ones (TF SAME
 * with an odd total, explicit begin != end) are applied first with {@link NDArray#pad} and the
 * window op then runs unpadded.
 */
final class WindowKernels {
  private WindowKernels() {}

  static NDArray conv(Node node, Conv c, NDArray x, ParameterSource ps) {
    int n = c.spatialDims();
    Padding p = c.padding().resolve(spatial(node, x, n), c.kernel(), c.stride(), c.dilation());
    NDArray in = x;
    Shape enginePad;
    if (p.isSymmetric()) {
      enginePad = shape(p.begin());
    } else {
      in = pad(x, p, 0.0);
      enginePad = shape(new int[n]);
    }
    NDArray w = OpKernels.param(node, ps, "weight");
    NDArray b = c.bias() ? OpKernels.param(node, ps, "bias") : null;
    Shape stride = shape(c.stride());
    Shape dilation = shape(c.dilation());
    switch (n) {
      case 1:
        return Conv1d.conv1d(in, w, b, stride, enginePad, dilation, c.groups()).singletonOrThrow();
      case 2:
        return Conv2d.conv2d(in, w, b, stride, enginePad, dilation, c.groups()).singletonOrThrow();
      default:
        return Conv3d.conv3d(in, w, b, stride, enginePad, dilation, c.groups()).singletonOrThrow();
    }
  }

  static NDArray pool(Node node, Pool pool, NDArray x, NDManager scope) {
    int n = pool.spatialDims();
    int[] ones = new int[n];
    Arrays.fill(ones, 1);
    int[] k = pool.kernel();
    Padding p = pool.padding().resolve(spatial(node, x, n), k, pool.stride(), ones);
    Shape kernel = shape(k);
    Shape stride = shape(pool.stride());
    // PyTorch's own pooling pads at most half the window, on both sides alike.
    boolean native_ = p.isSymmetric();
    int[] b = p.begin();
    for (int i = 0; i < n; i++) {
      native_ &= b[i] <= k[i] / 2;
    }
    if (pool.kind() == Pool.Kind.MAX) {
      if (native_) {
        return x.getNDArrayInternal().maxPool(kernel, stride, shape(b), false);
      }
      NDArray padded = pad(x, p, Double.NEGATIVE_INFINITY);
      return padded.getNDArrayInternal().maxPool(kernel, stride, shape(new int[n]), false);
    }
    // Average pooling always counts padding in the engine call: DJL 0.36's PyTorch avgPool ignores
    // countIncludePad=false (seen in WindowKernelsTest). Without counting, the divisor is fixed up
    // by dividing by the same pooling of an all-ones plane: the share of real positions per window.
    NDArray in = native_ ? x : pad(x, p, 0.0);
    Shape enginePad = native_ ? shape(b) : shape(new int[n]);
    NDArray avg = in.getNDArrayInternal().avgPool(kernel, stride, enginePad, false, true);
    if (pool.countIncludePad()) {
      return avg;
    }
    long[] planeShape = x.getShape().getShape().clone();
    planeShape[0] = 1;
    planeShape[1] = 1;
    NDArray plane = scope.ones(new Shape(planeShape));
    if (!native_) {
      plane = pad(plane, p, 0.0);
    }
    NDArray share = plane.getNDArrayInternal().avgPool(kernel, stride, enginePad, false, true);
    return avg.divi(share);
  }

  /**
   * Pads the spatial axes of {@code [N, C, spatial...]} by {@code p.begin()/p.end()} with {@code
   * value}. {@link NDArray#pad} takes (begin, end) pairs starting from the last axis, as PyTorch's
   * {@code constant_pad_nd}.
   */
  static NDArray pad(NDArray x, Padding p, double value) {
    int[] b = p.begin();
    int[] e = p.end();
    int n = b.length;
    long[] pairs = new long[2 * n];
    for (int i = 0; i < n; i++) {
      int axis = n - 1 - i;
      pairs[2 * i] = b[axis];
      pairs[2 * i + 1] = e[axis];
    }
    return x.pad(new Shape(pairs), value);
  }

  private static int[] spatial(Node node, NDArray x, int n) {
    long[] d = x.getShape().getShape();
    if (d.length != n + 2) {
      throw new IllegalArgumentException("node '" + node.name() + "': expected rank " + (n + 2) + " input [N, C, spatial...], got " + x.getShape());
    }
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.toIntExact(d[2 + i]);
    }
    return s;
  }

  private static Shape shape(int[] v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      l[i] = v[i];
    }
    return new Shape(l);
  }
}
