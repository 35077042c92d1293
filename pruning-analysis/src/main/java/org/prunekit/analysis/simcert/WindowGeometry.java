package org.prunekit.analysis.simcert;

import org.prunekit.core.graph.op.Padding;

/**
 * Index arithmetic for windows (convolution, pooling) over {@code [C, D, H, W]} row-major
 * activations; 1-d and 2-d inputs are treated as 3-d with leading spatial sizes of 1.
 */
final class WindowGeometry {
  final int[] in = new int[3];
  final int[] out = new int[3];
  final int[] kernel = {1, 1, 1};
  final int[] stride = {1, 1, 1};
  final int[] dilation = {1, 1, 1};
  final int[] padBegin = new int[3];

  WindowGeometry(int[] inSpatial, int[] outSpatial, int[] k, int[] s, int[] d, Padding padding) {
    int n = inSpatial.length;
    int off = 3 - n;
    java.util.Arrays.fill(in, 1);
    java.util.Arrays.fill(out, 1);
    Padding p = padding.resolve(inSpatial, k, s, d);
    for (int i = 0; i < n; i++) {
      in[off + i] = inSpatial[i];
      out[off + i] = outSpatial[i];
      kernel[off + i] = k[i];
      stride[off + i] = s[i];
      dilation[off + i] = d[i];
      padBegin[off + i] = p.begin()[i];
    }
  }

  int inSpatialSize() {
    return in[0] * in[1] * in[2];
  }

  int outSpatialSize() {
    return out[0] * out[1] * out[2];
  }

  int kernelSize() {
    return kernel[0] * kernel[1] * kernel[2];
  }

  /**
   * Spatial input offsets ({@code -1} for padding) of the window of output position {@code
   * outPos}, in kernel order.
   */
  int[] window(int outPos) {
    int oz = outPos / (out[1] * out[2]);
    int oy = (outPos / out[2]) % out[1];
    int ox = outPos % out[2];
    int[] r = new int[kernelSize()];
    int t = 0;
    for (int kz = 0; kz < kernel[0]; kz++) {
      int iz = oz * stride[0] - padBegin[0] + kz * dilation[0];
      for (int ky = 0; ky < kernel[1]; ky++) {
        int iy = oy * stride[1] - padBegin[1] + ky * dilation[1];
        for (int kx = 0; kx < kernel[2]; kx++) {
          int ix = ox * stride[2] - padBegin[2] + kx * dilation[2];
          boolean inside = iz >= 0 && iz < in[0] && iy >= 0 && iy < in[1] && ix >= 0 && ix < in[2];
          r[t++] = inside ? (iz * in[1] + iy) * in[2] + ix : -1;
        }
      }
    }
    return r;
  }
}
