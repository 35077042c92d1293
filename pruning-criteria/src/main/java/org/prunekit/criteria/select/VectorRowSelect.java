package org.prunekit.criteria.select;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel of {@link FusedRowSelect}: the per-row mask of {@code S_j = |W_j| * c_j}
 * without materialising the scores of the layer. Loaded only after {@link FusedRowSelect} has
 * checked that {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Per row, three passes: (1) scores into a reusable row buffer while counting, in vector
 * registers, the scores below each of {@value #BOUNDS} key boundaries placed around the previous
 * row's threshold; the two boundaries whose counts bracket the rank give a narrow key interval
 * holding the threshold; (2) the indices of the few scores in that interval are gathered (vector
 * compares, a scalar look only into vectors with a hit) and selected exactly; (3) the row's mask is
 * written in one vector pass {@code key > t}, and equal-to-threshold scores beyond the exact count
 * are restored. If the rank falls outside the boundaries the row is redone by {@link RadixSelect}
 * on the buffer. Either way the result is the exact one of {@link MaskSelector}.
 *
 * <p>Keys are the raw bits of the (non-negative) scores with the sign bit cleared, which order like
 * the floats and fold {@code -0.0} into {@code 0.0}; a key above that of {@code +inf} is a NaN.
 * An instance holds scratch space for one row length and is used by one thread.
 */
final class VectorRowSelect implements FusedRowSelect.RowKernel {
  static final int BOUNDS = 8;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  private static final int KEY_INF = 0x7F800000;
  private static final int ONE_BITS = Float.floatToRawIntBits(1f);
  private static final int TARGET_PER_INTERVAL = 48;

  private final int cols;
  private final float[] buf;
  private final int[] ci;
  private final int[] ck;
  private final int[] work;
  private final float[] rowMask;
  private final RadixSelect radix;
  private final int[] counts = new int[BOUNDS];
  private final int[] bounds = new int[BOUNDS];
  private boolean hasWindow;
  private long step;
  /** Rows done by the vector window path (for tests). */
  int windowedRows;

  VectorRowSelect(int cols) {
    if (I.length() != L) {
      throw new IllegalStateException("int and float species differ: " + I + " / " + F);
    }
    this.cols = cols;
    buf = new float[cols];
    ci = new int[cols];
    ck = new int[cols];
    work = new int[cols];
    rowMask = new float[cols];
    radix = new RadixSelect(cols);
    // Initial spacing: for a smooth distribution about TARGET values per interval near the median.
    step = Math.max(1, (long) (TARGET_PER_INTERVAL / Math.max(1.0, cols) / Math.log(2) * (1 << 23)));
  }

  /** The number of float lanes (for logs and tests). */
  static int lanes() {
    return L;
  }

  /**
   * Writes the keep mask of row {@code w[base, base + cols)} into {@code m}: {@code k} pruned
   * ({@code exact}) or every score {@code <=} the one of rank {@code k} pruned.
   *
   * @param scale per-column factors (non-negative, no NaN; {@code -0.0} already folded), or null
   * @return false, with the row undefined, if a score is NaN
   */
  @Override
  public boolean row(float[] w, float[] scale, int base, int k, boolean exact, float[] m) {
    int r = exact ? k - 1 : k;
    int[] b = bounds;
    int upper = F.loopBound(cols);
    // Pass 1: scores into the buffer; counts below each boundary; maximum key (NaN check).
    IntVector c0 = IntVector.zero(I);
    IntVector c1 = c0;
    IntVector c2 = c0;
    IntVector c3 = c0;
    IntVector c4 = c0;
    IntVector c5 = c0;
    IntVector c6 = c0;
    IntVector c7 = c0;
    IntVector mx = c0;
    int b0 = b[0];
    int b1 = b[1];
    int b2 = b[2];
    int b3 = b[3];
    int b4 = b[4];
    int b5 = b[5];
    int b6 = b[6];
    int b7 = b[7];
    int j = 0;
    for (; j < upper; j += L) {
      FloatVector s = FloatVector.fromArray(F, w, base + j).abs();
      if (scale != null) {
        s = s.mul(FloatVector.fromArray(F, scale, j));
      }
      s.intoArray(buf, j);
      IntVector key = ((IntVector) s.reinterpretAsInts()).and(0x7FFFFFFF);
      mx = mx.max(key);
      c0 = c0.add(1, key.compare(VectorOperators.LT, b0));
      c1 = c1.add(1, key.compare(VectorOperators.LT, b1));
      c2 = c2.add(1, key.compare(VectorOperators.LT, b2));
      c3 = c3.add(1, key.compare(VectorOperators.LT, b3));
      c4 = c4.add(1, key.compare(VectorOperators.LT, b4));
      c5 = c5.add(1, key.compare(VectorOperators.LT, b5));
      c6 = c6.add(1, key.compare(VectorOperators.LT, b6));
      c7 = c7.add(1, key.compare(VectorOperators.LT, b7));
    }
    int[] c = counts;
    c[0] = c0.reduceLanes(VectorOperators.ADD);
    c[1] = c1.reduceLanes(VectorOperators.ADD);
    c[2] = c2.reduceLanes(VectorOperators.ADD);
    c[3] = c3.reduceLanes(VectorOperators.ADD);
    c[4] = c4.reduceLanes(VectorOperators.ADD);
    c[5] = c5.reduceLanes(VectorOperators.ADD);
    c[6] = c6.reduceLanes(VectorOperators.ADD);
    c[7] = c7.reduceLanes(VectorOperators.ADD);
    int max = mx.reduceLanes(VectorOperators.MAX);
    for (; j < cols; j++) {
      float s = Math.abs(w[base + j]);
      if (scale != null) {
        s *= scale[j];
      }
      buf[j] = s;
      int key = Float.floatToRawIntBits(s) & 0x7FFFFFFF;
      max = Math.max(max, key);
      for (int q = 0; q < BOUNDS; q++) {
        c[q] += key < b[q] ? 1 : 0;
      }
    }
    if (max > KEY_INF) {
      return false;
    }
    if (r < 0) {
      java.util.Arrays.fill(m, base, base + cols, 1f);
      return true;
    }
    int q = -1;
    if (hasWindow && r >= c[0] && r < c[BOUNDS - 1]) {
      q = 0;
      while (r >= c[q + 1]) {
        q++;
      }
    }
    if (q < 0) {
      // Miss (or first row): exact histogram selection on the buffer, then widen and recentre the window.
      if (!radix.mask(buf, 0, cols, k, exact, rowMask)) {
        return false;
      }
      System.arraycopy(rowMask, 0, m, base, cols);
      if (hasWindow) {
        step = Math.min(step * 2, KEY_INF);
      }
      centre(radix.lastKey());
      return true;
    }
    // Pass 2: gather the scores in [b[q], b[q+1]) (in index order).
    int lo = b[q];
    int hi = b[q + 1];
    int n = 0;
    for (j = 0; j < upper; j += L) {
      IntVector key = ((IntVector) FloatVector.fromArray(F, buf, j).reinterpretAsInts()).and(0x7FFFFFFF);
      VectorMask<Integer> in = key.compare(VectorOperators.GE, lo).and(key.compare(VectorOperators.LT, hi));
      if (in.anyTrue()) {
        for (int e = j; e < j + L; e++) {
          int kk = Float.floatToRawIntBits(buf[e]) & 0x7FFFFFFF;
          if (kk >= lo && kk < hi) {
            ci[n++] = e;
          }
        }
      }
    }
    for (; j < cols; j++) {
      int kk = Float.floatToRawIntBits(buf[j]) & 0x7FFFFFFF;
      if (kk >= lo && kk < hi) {
        ci[n++] = j;
      }
    }
    int below = c[q];
    for (int e = 0; e < n; e++) {
      ck[e] = Float.floatToRawIntBits(buf[ci[e]]) & 0x7FFFFFFF;
    }
    // The candidates are few (about TARGET_PER_INTERVAL): sort a copy of their keys.
    int[] sorted = work;
    System.arraycopy(ck, 0, sorted, 0, n);
    java.util.Arrays.sort(sorted, 0, n);
    int rr = r - below;
    int t = sorted[rr];
    int first = rr;
    while (first > 0 && sorted[first - 1] == t) {
      first--;
    }
    int end = rr + 1;
    while (end < n && sorted[end] == t) {
      end++;
    }
    int equal = end - first;
    int ties = exact ? k - (below + first) : equal;
    // Pass 3: keep key > t.
    IntVector one = IntVector.broadcast(I, ONE_BITS);
    IntVector zero = IntVector.zero(I);
    for (j = 0; j < upper; j += L) {
      IntVector key = ((IntVector) FloatVector.fromArray(F, buf, j).reinterpretAsInts()).and(0x7FFFFFFF);
      zero.blend(one, key.compare(VectorOperators.GT, t)).reinterpretAsFloats().intoArray(m, base + j);
    }
    for (; j < cols; j++) {
      m[base + j] = (Float.floatToRawIntBits(buf[j]) & 0x7FFFFFFF) > t ? 1f : 0f;
    }
    if (ties < equal) {
      // Exact count: only the first `ties` scores equal to t (lowest index first) are pruned.
      for (int e = 0; e < n; e++) {
        if (ck[e] == t) {
          if (ties > 0) {
            ties--;
          } else {
            m[base + ci[e]] = 1f;
          }
        }
      }
    }
    // Adapt the spacing to the density seen in the window, recentre on t.
    long total = (long) c[BOUNDS - 1] - c[0];
    double f = total <= 0 ? 2.0 : Math.min(2.0, Math.max(0.5, (double) TARGET_PER_INTERVAL * (BOUNDS - 1) / total));
    step = Math.max(1, Math.min(KEY_INF, (long) (step * f)));
    centre(t);
    windowedRows++;
    return true;
  }

  /** Places the boundaries symmetrically around threshold key {@code t}. */
  private void centre(int t) {
    long lo = t - step * (BOUNDS - 1) / 2 - step / 2;
    for (int q = 0; q < BOUNDS; q++) {
      bounds[q] = (int) Math.max(0, Math.min(KEY_INF + 1L, lo + q * step));
    }
    hasWindow = true;
  }
}
