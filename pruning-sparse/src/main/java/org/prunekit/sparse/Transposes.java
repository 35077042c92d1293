package org.prunekit.sparse;

/**
 * Cache-blocked transposes between the caller's row-major {@code [batch, features]} arrays and the
 * kernels' lane-major {@code [features, stride]} layout.
 *
 * <p>Why blocked: a plain transpose of a batch-64 activation writes (or reads) one element per
 * cache line with a power-of-two stride; for a 1024-wide layer the output rows are 4 KB apart, all
 * in the same L1 set, and every store missed. Measured on the reference machine (1024x1024 layer
 * with about one non-zero per row, batch 64, one thread): 1.6-1.9 ms per call with plain
 * transposes, almost all of it in the two transposes. Working in blocks of {@value #BLOCK} features
 * keeps the touched lines in L1 and writes whole lines.
 */
final class Transposes {
  static final int BLOCK = 16;

  private Transposes() {}

  /**
   * {@code xT[i * stride + b] = x[b * in + i]} for {@code b < batch}, {@code i < in}; the padding
   * lanes {@code batch <= b < stride} are set to zero ({@code xT} may be a reused buffer).
   */
  static void toLanes(float[] x, int batch, int in, float[] xT, int stride) {
    for (int i0 = 0; i0 < in; i0 += BLOCK) {
      int i1 = Math.min(in, i0 + BLOCK);
      for (int b = 0; b < batch; b++) {
        int xo = b * in;
        for (int i = i0; i < i1; i++) {
          xT[i * stride + b] = x[xo + i];
        }
      }
      if (batch < stride) {
        for (int i = i0; i < i1; i++) {
          java.util.Arrays.fill(xT, i * stride + batch, (i + 1) * stride, 0f);
        }
      }
    }
  }

  /**
   * Rows {@code r0..r1} of {@code yT} ({@code [out, stride]}, lanes contiguous) into {@code y}
   * ({@code [batch, out]}): {@code y[l * out + r] = yT[r * stride + l]} for {@code l < batch}.
   */
  static void fromLanes(float[] yT, int stride, int batch, float[] y, int out, int r0, int r1) {
    for (int rb = r0; rb < r1; rb += BLOCK) {
      int re = Math.min(r1, rb + BLOCK);
      for (int l = 0; l < batch; l++) {
        int yo = l * out;
        for (int r = rb; r < re; r++) {
          y[yo + r] = yT[r * stride + l];
        }
      }
    }
  }
}
