package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;

/** Output-size arithmetic shared by convolution and pooling. */
public final class Windows {
  private Windows() {}

  /**
   * Spatial output sizes {@code floor((in + pb + pe - d*(k-1) - 1) / s) + 1}.
   *
   * @param node node name for errors
   * @param inputs input shapes for errors
   * @param x the input shape {@code [N, C, spatial...]}
   */
  public static int[] outputSize(
      String node, List<Shape> inputs, Shape x, int[] kernel, int[] stride, Padding padding, int[] dilation) {
    int n = kernel.length;
    int[] in = new int[n];
    for (int i = 0; i < n; i++) {
      in[i] = x.get(2 + i);
    }
    Padding p = padding.resolve(in, kernel, stride, dilation);
    int[] b = p.begin();
    int[] e = p.end();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int eff = dilation[i] * (kernel[i] - 1) + 1;
      int span = in[i] + b[i] + e[i] - eff;
      ShapeChecks.require(
          span >= 0, node, inputs, "window " + eff + " is larger than padded input " + (in[i] + b[i] + e[i]) + " on spatial axis " + i);
      out[i] = span / stride[i] + 1;
    }
    return out;
  }

  static Shape spatialShape(int batch, int channels, int[] spatial) {
    int[] d = new int[spatial.length + 2];
    d[0] = batch;
    d[1] = channels;
    System.arraycopy(spatial, 0, d, 2, spatial.length);
    return new Shape(d);
  }
}
