package org.prunekit.criteria.select;

import java.util.Arrays;
import java.util.List;

/**
 * Order statistics without full sorts.
 *
 * <p>Comparisons are numeric ({@code <}, {@code ==}), so {@code -0.0} equals {@code 0.0}; inputs
 * must not contain NaN (callers check first).
 */
public final class Selection {
  private static final int INSERTION_CUTOFF = 16;

  private Selection() {}

  /**
   * The value of 0-based rank {@code k} among {@code a[from, to)}, i.e. the value a stable ascending
   * sort would put at position {@code from + k}. Reorders that range of {@code a} (pass a copy).
   * Quickselect with median-of-three pivots and three-way partitioning (fast on many equal
   * values); falls back to sorting the remaining range after too many unbalanced rounds, so the
   * worst case is {@code O(n log n)}.
   *
   * @throws IllegalArgumentException if {@code k} is outside the range
   */
  public static float kthSmallest(float[] a, int from, int to, int k) {
    if (k < 0 || k >= to - from) {
      throw new IllegalArgumentException("rank " + k + " outside a range of " + (to - from) + " values");
    }
    int lo = from;
    int hi = to - 1;
    int target = from + k;
    int budget = 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, to - from))) + 4;
    while (true) {
      if (hi - lo < INSERTION_CUTOFF || budget-- <= 0) {
        Arrays.sort(a, lo, hi + 1);
        return a[target];
      }
      float pivot = median3(a[lo], a[lo + ((hi - lo) >>> 1)], a[hi]);
      // Dutch-flag partition: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
      int lt = lo;
      int gt = hi;
      int i = lo;
      while (i <= gt) {
        float v = a[i];
        if (v < pivot) {
          a[i++] = a[lt];
          a[lt++] = v;
        } else if (v > pivot) {
          a[i] = a[gt];
          a[gt--] = v;
        } else {
          i++;
        }
      }
      if (target < lt) {
        hi = lt - 1;
      } else if (target > gt) {
        lo = gt + 1;
      } else {
        return pivot;
      }
    }
  }

  private static float median3(float x, float y, float z) {
    if (x < y) {
      return y < z ? y : (x < z ? z : x);
    }
    return x < z ? x : (y < z ? z : y);
  }

  /**
   * The value of 0-based rank {@code k} over the concatenation of {@code arrays} (counts may exceed
   * {@code int}), by a two-pass 16-bit radix select on the order-preserving integer image of the
   * floats. Reads the arrays, copies nothing.
   *
   * @throws IllegalArgumentException if {@code k} is outside the total count
   */
  public static float kthSmallest(List<float[]> arrays, long k) {
    long total = 0;
    for (float[] a : arrays) {
      total += a.length;
    }
    if (k < 0 || k >= total) {
      throw new IllegalArgumentException("rank " + k + " outside " + total + " values");
    }
    long[] hist = new long[1 << 16];
    for (float[] a : arrays) {
      for (float v : a) {
        hist[key(v) >>> 16]++;
      }
    }
    int high = 0;
    long below = 0;
    while (below + hist[high] <= k) {
      below += hist[high++];
    }
    Arrays.fill(hist, 0);
    for (float[] a : arrays) {
      for (float v : a) {
        int key = key(v);
        if (key >>> 16 == high) {
          hist[key & 0xFFFF]++;
        }
      }
    }
    int low = 0;
    while (below + hist[low] <= k) {
      below += hist[low++];
    }
    return fromKey((high << 16) | low);
  }

  /** Order-preserving map of a float (not NaN) to an int compared unsigned; -0.0 maps like 0.0. */
  static int key(float v) {
    int bits = Float.floatToRawIntBits(v + 0.0f);
    return bits >= 0 ? bits ^ 0x80000000 : ~bits;
  }

  static float fromKey(int key) {
    int bits = key < 0 ? key ^ 0x80000000 : ~key;
    return Float.intBitsToFloat(bits);
  }
}
