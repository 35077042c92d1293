package org.prunekit.sparse;

/**
 * Plain Java kernels: the fallback without the Vector API, and the single-vector (batch 1) CSR
 * kernel in every mode.
 *
 * <p>Output addressing: row {@code r}, lane {@code l} is written to
 * {@code y[yOff + l * yLaneStride + r * yRowStride]}. Inputs for the lane kernels are transposed,
 * {@code xT[c * stride + l]}.
 */
final class ScalarKernels {
  private ScalarKernels() {}

  /**
   * Batch-1 CSR rows {@code r0..r1}: {@code y[r] = sum_k v[k] x[col(k)] + b[r]}. Eight independent
   * accumulators hide the add latency (median of 1,500 calls, 4096x4096 at 90%, one thread: four
   * 760 µs, eight 701 µs); 16-bit indices keep the index stream small. On the reference machine
   * (AMD EPYC, Zen 5) Vector API gathers were no faster, from a CSR row (717 µs) or a SELL-16 slice
   * layout (680 µs, with 32-bit indices), so this loop is used in every mode (docs/sparse.md). {@code x}
   * starts at index 0: indexing {@code x[xOff + col]} made the loop about 30% slower (2.72 against
   * 2.06-2.16 ms at 70%, one thread), since every access then needs the add before its bounds check.
   */
  static void csrRows1(CsrMatrix w, float[] x, float[] bias, float[] y, int yOff, int yRowStride, int r0, int r1) {
    int[] rp = w.rowPtr();
    float[] v = w.values();
    char[] nc = w.narrowCols();
    if (nc != null) {
      for (int r = r0; r < r1; r++) {
        int k = rp[r];
        int e = rp[r + 1];
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        float a4 = 0f;
        float a5 = 0f;
        float a6 = 0f;
        float a7 = 0f;
        for (; k + 7 < e; k += 8) {
          a0 += v[k] * x[nc[k]];
          a1 += v[k + 1] * x[nc[k + 1]];
          a2 += v[k + 2] * x[nc[k + 2]];
          a3 += v[k + 3] * x[nc[k + 3]];
          a4 += v[k + 4] * x[nc[k + 4]];
          a5 += v[k + 5] * x[nc[k + 5]];
          a6 += v[k + 6] * x[nc[k + 6]];
          a7 += v[k + 7] * x[nc[k + 7]];
        }
        for (; k < e; k++) {
          a0 += v[k] * x[nc[k]];
        }
        y[yOff + r * yRowStride] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + (bias == null ? 0f : bias[r]);
      }
    } else {
      int[] wc = w.wideCols();
      for (int r = r0; r < r1; r++) {
        float a0 = 0f;
        float a1 = 0f;
        int k = rp[r];
        int e = rp[r + 1];
        for (; k + 1 < e; k += 2) {
          a0 += v[k] * x[wc[k]];
          a1 += v[k + 1] * x[wc[k + 1]];
        }
        for (; k < e; k++) {
          a0 += v[k] * x[wc[k]];
        }
        y[yOff + r * yRowStride] = a0 + a1 + (bias == null ? 0f : bias[r]);
      }
    }
  }

  /** CSR over transposed lanes, scalar: every non-zero updates all lanes (a loop C2 may vectorise). */
  static void csrLanes(CsrMatrix w, float[] xT, int stride, int lanes, float[] bias, float[] y, int yOff,
      int yLaneStride, int yRowStride, int r0, int r1, float[] acc) {
    int[] rp = w.rowPtr();
    float[] v = w.values();
    for (int r = r0; r < r1; r++) {
      java.util.Arrays.fill(acc, 0, lanes, 0f);
      for (int k = rp[r]; k < rp[r + 1]; k++) {
        float wv = v[k];
        int base = w.column(k) * stride;
        for (int l = 0; l < lanes; l++) {
          acc[l] += wv * xT[base + l];
        }
      }
      store(acc, lanes, bias, r, y, yOff, yLaneStride, yRowStride);
    }
  }

  /** Batch-1 N:M rows {@code r0..r1}. */
  static void nmRows1(NmMatrix w, float[] x, int xOff, float[] bias, float[] y, int yOff, int yRowStride, int r0, int r1) {
    float[] v = w.values();
    byte[] pos = w.positions();
    int n = w.n();
    int m = w.m();
    int gpr = w.groupsPerRow();
    for (int r = r0; r < r1; r++) {
      float a0 = 0f;
      float a1 = 0f;
      int s = r * gpr * n;
      if (n == 1) { // 1:M: one slot per group, two groups per trip (a loop per group ran 4x slower)
        int g = 0;
        for (; g + 1 < gpr; g += 2, s += 2) {
          a0 += v[s] * x[xOff + g * m + pos[s]];
          a1 += v[s + 1] * x[xOff + (g + 1) * m + pos[s + 1]];
        }
        for (; g < gpr; g++, s++) {
          a0 += v[s] * x[xOff + g * m + pos[s]];
        }
      } else if (n == 2) { // 2:M (2:4, 2:8): both slots of a group per trip
        for (int g = 0; g < gpr; g++, s += 2) {
          int c0 = xOff + g * m;
          a0 += v[s] * x[c0 + pos[s]];
          a1 += v[s + 1] * x[c0 + pos[s + 1]];
        }
      } else {
        for (int g = 0; g < gpr; g++) {
          int c0 = xOff + g * m;
          int j = 0;
          for (; j + 1 < n; j += 2, s += 2) {
            a0 += v[s] * x[c0 + pos[s]];
            a1 += v[s + 1] * x[c0 + pos[s + 1]];
          }
          for (; j < n; j++, s++) {
            a0 += v[s] * x[c0 + pos[s]];
          }
        }
      }
      y[yOff + r * yRowStride] = a0 + a1 + (bias == null ? 0f : bias[r]);
    }
  }

  /** N:M over transposed lanes, scalar. */
  static void nmLanes(NmMatrix w, float[] xT, int stride, int lanes, float[] bias, float[] y, int yOff,
      int yLaneStride, int yRowStride, int r0, int r1, float[] acc) {
    float[] v = w.values();
    byte[] pos = w.positions();
    int n = w.n();
    int m = w.m();
    int gpr = w.groupsPerRow();
    for (int r = r0; r < r1; r++) {
      java.util.Arrays.fill(acc, 0, lanes, 0f);
      int s = r * gpr * n;
      for (int g = 0; g < gpr; g++) {
        for (int j = 0; j < n; j++, s++) {
          float wv = v[s];
          if (wv == 0f) {
            continue;
          }
          int base = (g * m + pos[s]) * stride;
          for (int l = 0; l < lanes; l++) {
            acc[l] += wv * xT[base + l];
          }
        }
      }
      store(acc, lanes, bias, r, y, yOff, yLaneStride, yRowStride);
    }
  }

  /** Writes one row's lanes (plus bias) to the strided output. */
  static void store(float[] acc, int lanes, float[] bias, int r, float[] y, int yOff, int yLaneStride, int yRowStride) {
    float b = bias == null ? 0f : bias[r];
    int o = yOff + r * yRowStride;
    for (int l = 0; l < lanes; l++) {
      y[o + l * yLaneStride] = acc[l] + b;
    }
  }
}
