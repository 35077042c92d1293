package org.prunekit.criteria.select;

import jdk.incubator.vector.ByteVector;
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
 * are restored (into a float or, {@link #rowBytes}, a byte mask). If the rank falls outside the boundaries the row is redone by {@link RadixSelect}
 * on the buffer. Either way the result is the exact one of {@link MaskSelector}.
 *
 * <p>Keys are the raw bits of the (non-negative) scores with the sign bit cleared, which order like
 * the floats and fold {@code -0.0} into {@code 0.0}; a key above that of {@code +inf} is a NaN.
 * An instance holds scratch space for one row length and is used by one thread.
 *
 * <p>Vectors are 256 bits (8 floats) even where 512 are available: on the reference machine (AMD
 * EPYC with AVX-512, JDK 17) a row took about 22 us with 512-bit vectors and 14 us with 256-bit
 * ones (thread CPU time, 11008 columns). The boundaries are few ({@value #BOUNDS}) because pass 1 is
 * the only pass over weights that are not in cache and every boundary costs three vector operations
 * per vector there.
 */
final class VectorRowSelect implements FusedRowSelect.RowKernel {
  static final int BOUNDS = 4;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
  private static final int L = F.length();
  private static final int KEY_INF = 0x7F800000;
  private static final int ONE_BITS = Float.floatToRawIntBits(1f);
  private static final int TARGET_PER_INTERVAL = 100;

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

  /** Outcomes of {@link #select}. */
  private static final int NAN = 0;
  private static final int KEEP_ALL = 1;
  private static final int RADIX = 2;
  private static final int WINDOW = 3;

  /** Set by {@link #select} for {@link #WINDOW}: threshold key, how many equal keys to prune, equal keys, candidates. */
  private int thr;
  private int pruneEqual;
  private int equalKeys;
  private int candidates;

  /**
   * Writes the keep mask of row {@code w[base, base + cols)} into {@code m}: {@code k} pruned
   * ({@code exact}) or every score {@code <=} the one of rank {@code k} pruned.
   *
   * @param scale per-column factors (non-negative, no NaN; {@code -0.0} already folded), or null
   * @return false, with the row undefined, if a score is NaN
   */
  @Override
  public boolean row(float[] w, float[] scale, int base, int k, boolean exact, float[] m) {
    switch (select(w, scale, base, k, exact)) {
      case NAN:
        return false;
      case KEEP_ALL:
        java.util.Arrays.fill(m, base, base + cols, 1f);
        return true;
      case RADIX:
        System.arraycopy(rowMask, 0, m, base, cols);
        return true;
      default:
        writeKeepAbove(buf, cols, thr, m, base);
        if (pruneEqual < equalKeys) {
          // Exact count: only the first pruneEqual scores equal to thr (lowest index first) are pruned.
          int ties = pruneEqual;
          for (int e = 0; e < candidates; e++) {
            if (ck[e] == thr && ties-- <= 0) {
              m[base + ci[e]] = 1f;
            }
          }
        }
        return true;
    }
  }

  /** As {@link #row}, into a byte mask (1 = keep). */
  @Override
  public boolean rowBytes(float[] w, float[] scale, int base, int k, boolean exact, byte[] m) {
    switch (select(w, scale, base, k, exact)) {
      case NAN:
        return false;
      case KEEP_ALL:
        java.util.Arrays.fill(m, base, base + cols, (byte) 1);
        return true;
      case RADIX:
        for (int j = 0; j < cols; j++) {
          m[base + j] = (byte) (int) rowMask[j];
        }
        return true;
      default:
        writeKeepAboveBytes(buf, cols, thr, m, base);
        if (pruneEqual < equalKeys) {
          int ties = pruneEqual;
          for (int e = 0; e < candidates; e++) {
            if (ck[e] == thr && ties-- <= 0) {
              m[base + ci[e]] = 1;
            }
          }
        }
        return true;
    }
  }

  /**
   * Passes 1 and 2: scores the row into {@link #buf} and finds its threshold. {@link #RADIX}
   * leaves the row's mask in {@link #rowMask}; {@link #WINDOW} sets {@link #thr} and the tie
   * fields, the mask is then {@code key > thr} plus the equal keys beyond {@link #pruneEqual}.
   */
  private int select(float[] w, float[] scale, int base, int k, boolean exact) {
    int r = exact ? k - 1 : k;
    int[] c = counts;
    int[] b = bounds;
    int max = scale == null ? countMagnitude(w, base, cols, buf, b, c) : countScaled(w, scale, base, cols, buf, b, c);
    if (max > KEY_INF) {
      return NAN;
    }
    if (r < 0) {
      return KEEP_ALL;
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
        return NAN;
      }
      if (hasWindow) {
        step = Math.min(step * 2, KEY_INF);
      }
      centre(radix.lastKey());
      return RADIX;
    }
    // Pass 2: the scores in [b[q], b[q+1]) in index order; select rank r - c[q] among them.
    int n = gather(buf, cols, b[q], b[q + 1], ci);
    int below = c[q];
    int[] sorted = work;
    for (int e = 0; e < n; e++) {
      int kk = Float.floatToRawIntBits(buf[ci[e]]) & 0x7FFFFFFF;
      ck[e] = kk;
      sorted[e] = kk;
    }
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
    thr = t;
    equalKeys = end - first;
    pruneEqual = exact ? k - (below + first) : equalKeys;
    candidates = n;
    // Adapt the spacing to the density seen in the window, recentre on t.
    long total = (long) c[BOUNDS - 1] - c[0];
    double f = total <= 0 ? 2.0 : Math.min(2.0, Math.max(0.5, (double) TARGET_PER_INTERVAL * (BOUNDS - 1) / total));
    step = Math.max(1, Math.min(KEY_INF, (long) (step * f)));
    centre(t);
    windowedRows++;
    return WINDOW;
  }

  /*
   * The hot loops live in small static methods: C2 (JDK 17) intrinsifies Vector API calls only where
   * it inlines them, and one large method exhausts the inlining budget.
   */

  /** Pass 1 for plain magnitude: buf = |w|, c[q] = #(key < b[q]); returns the maximum key. */
  private static int countMagnitude(float[] w, int base, int cols, float[] buf, int[] b, int[] c) {
    IntVector c0 = IntVector.zero(I);
    IntVector c1 = c0;
    IntVector c2 = c0;
    IntVector c3 = c0;
    IntVector mx = c0;
    int b0 = b[0];
    int b1 = b[1];
    int b2 = b[2];
    int b3 = b[3];
    int upper = F.loopBound(cols);
    int j = 0;
    for (; j < upper; j += L) {
      FloatVector s = FloatVector.fromArray(F, w, base + j).abs();
      s.intoArray(buf, j);
      IntVector key = ((IntVector) s.reinterpretAsInts()).and(0x7FFFFFFF);
      mx = mx.max(key);
      c0 = c0.add(key.sub(b0).lanewise(VectorOperators.LSHR, 31));
      c1 = c1.add(key.sub(b1).lanewise(VectorOperators.LSHR, 31));
      c2 = c2.add(key.sub(b2).lanewise(VectorOperators.LSHR, 31));
      c3 = c3.add(key.sub(b3).lanewise(VectorOperators.LSHR, 31));
    }
    c[0] = c0.reduceLanes(VectorOperators.ADD);
    c[1] = c1.reduceLanes(VectorOperators.ADD);
    c[2] = c2.reduceLanes(VectorOperators.ADD);
    c[3] = c3.reduceLanes(VectorOperators.ADD);
    int max = mx.reduceLanes(VectorOperators.MAX);
    for (; j < cols; j++) {
      buf[j] = Math.abs(w[base + j]);
      max = Math.max(max, countTail(buf[j], b, c));
    }
    return max;
  }

  /** Pass 1 for column-scaled scores: buf = |w| * scale; as {@link #countMagnitude}. */
  private static int countScaled(float[] w, float[] scale, int base, int cols, float[] buf, int[] b, int[] c) {
    IntVector c0 = IntVector.zero(I);
    IntVector c1 = c0;
    IntVector c2 = c0;
    IntVector c3 = c0;
    IntVector mx = c0;
    int b0 = b[0];
    int b1 = b[1];
    int b2 = b[2];
    int b3 = b[3];
    int upper = F.loopBound(cols);
    int j = 0;
    for (; j < upper; j += L) {
      FloatVector s = FloatVector.fromArray(F, w, base + j).abs().mul(FloatVector.fromArray(F, scale, j));
      s.intoArray(buf, j);
      IntVector key = ((IntVector) s.reinterpretAsInts()).and(0x7FFFFFFF);
      mx = mx.max(key);
      c0 = c0.add(key.sub(b0).lanewise(VectorOperators.LSHR, 31));
      c1 = c1.add(key.sub(b1).lanewise(VectorOperators.LSHR, 31));
      c2 = c2.add(key.sub(b2).lanewise(VectorOperators.LSHR, 31));
      c3 = c3.add(key.sub(b3).lanewise(VectorOperators.LSHR, 31));
    }
    c[0] = c0.reduceLanes(VectorOperators.ADD);
    c[1] = c1.reduceLanes(VectorOperators.ADD);
    c[2] = c2.reduceLanes(VectorOperators.ADD);
    c[3] = c3.reduceLanes(VectorOperators.ADD);
    int max = mx.reduceLanes(VectorOperators.MAX);
    for (; j < cols; j++) {
      buf[j] = Math.abs(w[base + j]) * scale[j];
      max = Math.max(max, countTail(buf[j], b, c));
    }
    return max;
  }

  private static int countTail(float s, int[] b, int[] c) {
    int key = Float.floatToRawIntBits(s) & 0x7FFFFFFF;
    for (int q = 0; q < BOUNDS; q++) {
      c[q] += key < b[q] ? 1 : 0;
    }
    return key;
  }

  /** Pass 2: the indices of keys in {@code [lo, hi)}, ascending, into {@code ci}; returns their count. */
  private static int gather(float[] buf, int cols, int lo, int hi, int[] ci) {
    int upper = F.loopBound(cols);
    int n = 0;
    int j = 0;
    for (; j < upper; j += L) {
      IntVector key = ((IntVector) FloatVector.fromArray(F, buf, j).reinterpretAsInts()).and(0x7FFFFFFF);
      VectorMask<Integer> in = key.compare(VectorOperators.GE, lo).and(key.compare(VectorOperators.LT, hi));
      if (in.anyTrue()) {
        n = gatherScalar(buf, j, j + L, lo, hi, ci, n);
      }
    }
    return gatherScalar(buf, j, cols, lo, hi, ci, n);
  }

  private static int gatherScalar(float[] buf, int from, int to, int lo, int hi, int[] ci, int n) {
    for (int e = from; e < to; e++) {
      int kk = Float.floatToRawIntBits(buf[e]) & 0x7FFFFFFF;
      if (kk >= lo && kk < hi) {
        ci[n++] = e;
      }
    }
    return n;
  }

  /** Pass 3: {@code m[base + j] = key(buf[j]) > t ? 1 : 0}. */
  private static void writeKeepAbove(float[] buf, int cols, int t, float[] m, int base) {
    IntVector one = IntVector.broadcast(I, ONE_BITS);
    IntVector zero = IntVector.zero(I);
    int upper = F.loopBound(cols);
    int j = 0;
    for (; j < upper; j += L) {
      IntVector key = ((IntVector) FloatVector.fromArray(F, buf, j).reinterpretAsInts()).and(0x7FFFFFFF);
      zero.blend(one, key.compare(VectorOperators.GT, t)).reinterpretAsFloats().intoArray(m, base + j);
    }
    for (; j < cols; j++) {
      m[base + j] = (Float.floatToRawIntBits(buf[j]) & 0x7FFFFFFF) > t ? 1f : 0f;
    }
  }

  /** Pass 3 into bytes: {@code m[base + j] = key(buf[j]) > t ? 1 : 0}, eight lanes narrowed to eight bytes. */
  private static void writeKeepAboveBytes(float[] buf, int cols, int t, byte[] m, int base) {
    IntVector one = IntVector.broadcast(I, 1);
    IntVector zero = IntVector.zero(I);
    int upper = F.loopBound(cols);
    int j = 0;
    for (; j < upper; j += L) {
      IntVector key = ((IntVector) FloatVector.fromArray(F, buf, j).reinterpretAsInts()).and(0x7FFFFFFF);
      ((ByteVector) zero.blend(one, key.compare(VectorOperators.GT, t)).convertShape(VectorOperators.I2B, B, 0))
          .intoArray(m, base + j);
    }
    for (; j < cols; j++) {
      m[base + j] = (byte) ((Float.floatToRawIntBits(buf[j]) & 0x7FFFFFFF) > t ? 1 : 0);
    }
  }

  /** Places the boundaries symmetrically around threshold key {@code t}. */
  private void centre(int t) {
    long lo = t - step * (BOUNDS - 1) / 2;
    for (int q = 0; q < BOUNDS; q++) {
      bounds[q] = (int) Math.max(0, Math.min(KEY_INF + 1L, lo + q * step));
    }
    hasWindow = true;
  }
}
