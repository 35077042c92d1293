package org.prunekit.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels over transposed lanes: every non-zero weight is broadcast and multiplied by one
 * vector of batch lanes ({@code xT[col * stride + lane]}), accumulating into registers per output
 * row. Only loaded after {@link VectorSupport} has found {@code jdk.incubator.vector}.
 *
 * <p>The species must be compile-time constants for C2 to intrinsify them, so each kernel exists
 * twice: for the preferred (widest) species and for a narrow one of at most 256 bits, used when
 * the batch is small (batch 8 fits one 256-bit vector). The two copies are generated from one
 * template and differ only in the species constant.
 */
final class VectorKernels {
  /** The widest species of this processor (512 bits with AVX-512). */
  static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED;

  /** A species of at most 256 bits. */
  static final VectorSpecies<Float> NARROW =
      WIDE.vectorBitSize() > 256 ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;

  private VectorKernels() {}

  /** Lanes of {@link #WIDE}. */
  static int wideLanes() {
    return WIDE.length();
  }

  /** Lanes of {@link #NARROW}. */
  static int narrowLanes() {
    return NARROW.length();
  }

  /** CSR over transposed lanes with the WIDE species ({@code stride} a multiple of its length). */
  static void csrLanesWide(CsrMatrix w, float[] xT, int stride, int lanes, float[] bias, float[] y, int yOff,
      int yLaneStride, int yRowStride, int r0, int r1, float[] acc) {
    final VectorSpecies<Float> sp = WIDE;
    final int len = sp.length();
    final int chunks = stride / len;
    final int[] rp = w.rowPtr();
    final float[] v = w.values();
    final char[] nc = w.narrowCols();
    final int[] wc = w.wideCols();
    for (int r = r0; r < r1; r++) {
      final int k0 = rp[r];
      final int k1 = rp[r + 1];
      int c = 0;
      for (; c + 4 <= chunks; c += 4) {
        final int o = c * len;
        FloatVector a0 = FloatVector.zero(sp);
        FloatVector a1 = FloatVector.zero(sp);
        FloatVector a2 = FloatVector.zero(sp);
        FloatVector a3 = FloatVector.zero(sp);
        for (int k = k0; k < k1; k++) {
          final int base = (nc != null ? nc[k] : wc[k]) * stride + o;
          final FloatVector b = FloatVector.broadcast(sp, v[k]);
          a0 = FloatVector.fromArray(sp, xT, base).fma(b, a0);
          a1 = FloatVector.fromArray(sp, xT, base + len).fma(b, a1);
          a2 = FloatVector.fromArray(sp, xT, base + 2 * len).fma(b, a2);
          a3 = FloatVector.fromArray(sp, xT, base + 3 * len).fma(b, a3);
        }
        a0.intoArray(acc, o);
        a1.intoArray(acc, o + len);
        a2.intoArray(acc, o + 2 * len);
        a3.intoArray(acc, o + 3 * len);
      }
      for (; c + 2 <= chunks; c += 2) {
        final int o = c * len;
        FloatVector a0 = FloatVector.zero(sp);
        FloatVector a1 = FloatVector.zero(sp);
        FloatVector a2 = FloatVector.zero(sp);
        FloatVector a3 = FloatVector.zero(sp);
        int k = k0;
        for (; k + 1 < k1; k += 2) {
          final int base0 = (nc != null ? nc[k] : wc[k]) * stride + o;
          final int base1 = (nc != null ? nc[k + 1] : wc[k + 1]) * stride + o;
          final FloatVector b0 = FloatVector.broadcast(sp, v[k]);
          final FloatVector b1 = FloatVector.broadcast(sp, v[k + 1]);
          a0 = FloatVector.fromArray(sp, xT, base0).fma(b0, a0);
          a1 = FloatVector.fromArray(sp, xT, base0 + len).fma(b0, a1);
          a2 = FloatVector.fromArray(sp, xT, base1).fma(b1, a2);
          a3 = FloatVector.fromArray(sp, xT, base1 + len).fma(b1, a3);
        }
        if (k < k1) {
          final int base0 = (nc != null ? nc[k] : wc[k]) * stride + o;
          final FloatVector b0 = FloatVector.broadcast(sp, v[k]);
          a0 = FloatVector.fromArray(sp, xT, base0).fma(b0, a0);
          a1 = FloatVector.fromArray(sp, xT, base0 + len).fma(b0, a1);
        }
        a0.add(a2).intoArray(acc, o);
        a1.add(a3).intoArray(acc, o + len);
      }
      for (; c < chunks; c++) {
        final int o = c * len;
        FloatVector a0 = FloatVector.zero(sp);
        FloatVector a1 = FloatVector.zero(sp);
        FloatVector a2 = FloatVector.zero(sp);
        FloatVector a3 = FloatVector.zero(sp);
        int k = k0;
        for (; k + 3 < k1; k += 4) {
          a0 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k] : wc[k]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k]), a0);
          a1 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k + 1] : wc[k + 1]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k + 1]), a1);
          a2 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k + 2] : wc[k + 2]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k + 2]), a2);
          a3 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k + 3] : wc[k + 3]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k + 3]), a3);
        }
        for (; k < k1; k++) {
          a0 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k] : wc[k]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k]), a0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(acc, o);
      }
      ScalarKernels.store(acc, lanes, bias, r, y, yOff, yLaneStride, yRowStride);
    }
  }

  /** N:M over transposed lanes with the WIDE species. */
  static void nmLanesWide(NmMatrix w, float[] xT, int stride, int lanes, float[] bias, float[] y, int yOff,
      int yLaneStride, int yRowStride, int r0, int r1, float[] acc) {
    final VectorSpecies<Float> sp = WIDE;
    final int len = sp.length();
    final int chunks = stride / len;
    final float[] v = w.values();
    final byte[] pos = w.positions();
    final int n = w.n();
    final int m = w.m();
    final int gpr = w.groupsPerRow();
    for (int r = r0; r < r1; r++) {
      final int s0 = r * gpr * n;
      final int s1 = s0 + gpr * n;
      int c = 0;
      for (; c + 4 <= chunks; c += 4) { // four chunks per weight read, as in csrLanesWide
        final int o = c * len;
        FloatVector a0 = FloatVector.zero(sp);
        FloatVector a1 = FloatVector.zero(sp);
        FloatVector a2 = FloatVector.zero(sp);
        FloatVector a3 = FloatVector.zero(sp);
        int gb = 0;
        int j = 0;
        for (int s = s0; s < s1; s++) {
          final int base = (gb + pos[s]) * stride + o;
          final FloatVector b = FloatVector.broadcast(sp, v[s]);
          a0 = FloatVector.fromArray(sp, xT, base).fma(b, a0);
          a1 = FloatVector.fromArray(sp, xT, base + len).fma(b, a1);
          a2 = FloatVector.fromArray(sp, xT, base + 2 * len).fma(b, a2);
          a3 = FloatVector.fromArray(sp, xT, base + 3 * len).fma(b, a3);
          if (++j == n) {
            j = 0;
            gb += m;
          }
        }
        a0.intoArray(acc, o);
        a1.intoArray(acc, o + len);
        a2.intoArray(acc, o + 2 * len);
        a3.intoArray(acc, o + 3 * len);
      }
      for (; c < chunks; c++) {
        final int o = c * len;
        // One flat loop over the row's slots (like the CSR kernels): nested per-group loops carrying
        // the vector accumulators ran 5-10x slower (NmLinearBenchmark, docs/sparse.md).
        FloatVector a0 = FloatVector.zero(sp);
        int gb = 0;
        int j = 0;
        for (int s = s0; s < s1; s++) {
          a0 = FloatVector.fromArray(sp, xT, (gb + pos[s]) * stride + o).fma(FloatVector.broadcast(sp, v[s]), a0);
          if (++j == n) {
            j = 0;
            gb += m;
          }
        }
        a0.intoArray(acc, o);
      }
      ScalarKernels.store(acc, lanes, bias, r, y, yOff, yLaneStride, yRowStride);
    }
  }

  /** CSR over transposed lanes with the NARROW species ({@code stride} a multiple of its length). */
  static void csrLanesNarrow(CsrMatrix w, float[] xT, int stride, int lanes, float[] bias, float[] y, int yOff,
      int yLaneStride, int yRowStride, int r0, int r1, float[] acc) {
    final VectorSpecies<Float> sp = NARROW;
    final int len = sp.length();
    final int chunks = stride / len;
    final int[] rp = w.rowPtr();
    final float[] v = w.values();
    final char[] nc = w.narrowCols();
    final int[] wc = w.wideCols();
    for (int r = r0; r < r1; r++) {
      final int k0 = rp[r];
      final int k1 = rp[r + 1];
      int c = 0;
      for (; c + 4 <= chunks; c += 4) {
        final int o = c * len;
        FloatVector a0 = FloatVector.zero(sp);
        FloatVector a1 = FloatVector.zero(sp);
        FloatVector a2 = FloatVector.zero(sp);
        FloatVector a3 = FloatVector.zero(sp);
        for (int k = k0; k < k1; k++) {
          final int base = (nc != null ? nc[k] : wc[k]) * stride + o;
          final FloatVector b = FloatVector.broadcast(sp, v[k]);
          a0 = FloatVector.fromArray(sp, xT, base).fma(b, a0);
          a1 = FloatVector.fromArray(sp, xT, base + len).fma(b, a1);
          a2 = FloatVector.fromArray(sp, xT, base + 2 * len).fma(b, a2);
          a3 = FloatVector.fromArray(sp, xT, base + 3 * len).fma(b, a3);
        }
        a0.intoArray(acc, o);
        a1.intoArray(acc, o + len);
        a2.intoArray(acc, o + 2 * len);
        a3.intoArray(acc, o + 3 * len);
      }
      for (; c + 2 <= chunks; c += 2) {
        final int o = c * len;
        FloatVector a0 = FloatVector.zero(sp);
        FloatVector a1 = FloatVector.zero(sp);
        FloatVector a2 = FloatVector.zero(sp);
        FloatVector a3 = FloatVector.zero(sp);
        int k = k0;
        for (; k + 1 < k1; k += 2) {
          final int base0 = (nc != null ? nc[k] : wc[k]) * stride + o;
          final int base1 = (nc != null ? nc[k + 1] : wc[k + 1]) * stride + o;
          final FloatVector b0 = FloatVector.broadcast(sp, v[k]);
          final FloatVector b1 = FloatVector.broadcast(sp, v[k + 1]);
          a0 = FloatVector.fromArray(sp, xT, base0).fma(b0, a0);
          a1 = FloatVector.fromArray(sp, xT, base0 + len).fma(b0, a1);
          a2 = FloatVector.fromArray(sp, xT, base1).fma(b1, a2);
          a3 = FloatVector.fromArray(sp, xT, base1 + len).fma(b1, a3);
        }
        if (k < k1) {
          final int base0 = (nc != null ? nc[k] : wc[k]) * stride + o;
          final FloatVector b0 = FloatVector.broadcast(sp, v[k]);
          a0 = FloatVector.fromArray(sp, xT, base0).fma(b0, a0);
          a1 = FloatVector.fromArray(sp, xT, base0 + len).fma(b0, a1);
        }
        a0.add(a2).intoArray(acc, o);
        a1.add(a3).intoArray(acc, o + len);
      }
      for (; c < chunks; c++) {
        final int o = c * len;
        FloatVector a0 = FloatVector.zero(sp);
        FloatVector a1 = FloatVector.zero(sp);
        FloatVector a2 = FloatVector.zero(sp);
        FloatVector a3 = FloatVector.zero(sp);
        int k = k0;
        for (; k + 3 < k1; k += 4) {
          a0 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k] : wc[k]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k]), a0);
          a1 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k + 1] : wc[k + 1]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k + 1]), a1);
          a2 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k + 2] : wc[k + 2]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k + 2]), a2);
          a3 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k + 3] : wc[k + 3]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k + 3]), a3);
        }
        for (; k < k1; k++) {
          a0 = FloatVector.fromArray(sp, xT, (nc != null ? nc[k] : wc[k]) * stride + o)
              .fma(FloatVector.broadcast(sp, v[k]), a0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(acc, o);
      }
      ScalarKernels.store(acc, lanes, bias, r, y, yOff, yLaneStride, yRowStride);
    }
  }

  /** N:M over transposed lanes with the NARROW species. */
  static void nmLanesNarrow(NmMatrix w, float[] xT, int stride, int lanes, float[] bias, float[] y, int yOff,
      int yLaneStride, int yRowStride, int r0, int r1, float[] acc) {
    final VectorSpecies<Float> sp = NARROW;
    final int len = sp.length();
    final int chunks = stride / len;
    final float[] v = w.values();
    final byte[] pos = w.positions();
    final int n = w.n();
    final int m = w.m();
    final int gpr = w.groupsPerRow();
    for (int r = r0; r < r1; r++) {
      final int s0 = r * gpr * n;
      final int s1 = s0 + gpr * n;
      for (int c = 0; c < chunks; c++) {
        final int o = c * len;
        // One flat loop over the row's slots (like the CSR kernels): nested per-group loops carrying
        // the vector accumulators ran 5-10x slower (NmLinearBenchmark, docs/sparse.md).
        FloatVector a0 = FloatVector.zero(sp);
        int gb = 0;
        int j = 0;
        for (int s = s0; s < s1; s++) {
          a0 = FloatVector.fromArray(sp, xT, (gb + pos[s]) * stride + o).fma(FloatVector.broadcast(sp, v[s]), a0);
          if (++j == n) {
            j = 0;
            gb += m;
          }
        }
        a0.intoArray(acc, o);
      }
      ScalarKernels.store(acc, lanes, bias, r, y, yOff, yLaneStride, yRowStride);
    }
  }
}
