package org.prunekit.criteria.select;

import java.util.Arrays;

/**
 * Exact-count and reference-threshold masks of one contiguous range of scores by a histogram
 * (radix) selection on the order-preserving integer image of the floats; no full sort, no copy
 * of the scores.
 *
 * <p>Every score {@code x} maps to the signed key {@code b ^ ((b >> 31) & 0x7FFFFFFF)} of the bits
 * {@code b} of {@code x + 0.0f} ({@code -0.0} folds into {@code 0.0}), which orders like the
 * floats under signed integer comparison (for non-negative scores it is the raw bits). The value of
 * a rank is found in three levels of 12, 10 and 10 key bits: one counting pass over the range into
 * a 4096-bucket histogram (two interleaved copies, so that runs of equal buckets do not serialise
 * on one counter), one branch-free pass gathering the keys of the bucket holding the rank, and
 * refinement of those few candidates. The mask is then written in one branch-free, vectorisable
 * pass ({@link #writeKeepAbove}); ties at the threshold need a second, short pass only when not all
 * of them are pruned.
 *
 * <p>Consecutive ranges (the rows of one layer) have similar thresholds, so after the first range
 * the instance keeps a narrow key window around the last threshold, sized for a few hundred
 * values. The next range then takes one vectorised pass writing a provisional mask (keep above the
 * window) and one scalar pass counting the values below the window and gathering the indices of
 * those inside it (a rarely taken, well predicted branch); the threshold and the masks of the
 * gathered values follow from the gathered values alone. If the threshold's rank falls outside the window the range is redone by the
 * histogram path. Both paths give the exact result, so the mask never depends on which path ran
 * or in which order ranges were processed.
 *
 * <p>An instance holds scratch space for ranges of up to a given length and is used by one thread.
 */
final class RadixSelect {
  private static final int TOP_SHIFT = 20;
  private static final int TOP_BUCKETS = 1 << 12;
  private static final int LOW_BITS = 10;
  private static final int LOW_BUCKETS = 1 << LOW_BITS;
  private static final int SORT_CUTOFF = 48;

  // Candidates wanted in a window; the threshold of a row varies by about sqrt(n) / 2 ranks from the last row's.
  private static final int WINDOW_TARGET = 512;
  private static final int KEY_NEG_INF = key(Float.NEGATIVE_INFINITY);
  private static final int KEY_POS_INF = key(Float.POSITIVE_INFINITY);
  private static final int MIN_WINDOWED = 1024;

  private final int[] hist = new int[2 * TOP_BUCKETS];
  private final float[] range = new float[2];
  private int[] cand;
  private int[] candIndex;
  private int[] work;

  // The key window expected to hold the next range's threshold (learned from the last range), if any.
  private boolean hasWindow;
  /** Ranges done by the one-pass window path (for tests). */
  int windowedRanges;
  private int windowLo;
  private int windowHi;

  // Result of the last select(): the key of the value at the rank, how many keys are below it, how many equal.
  private int key;
  private int below;
  private int equal;

  /** Scratch for ranges of up to {@code maxLength} scores (grown on demand for longer ones). */
  RadixSelect(int maxLength) {
    cand = new int[maxLength + 1];
    candIndex = new int[maxLength + 1];
    work = new int[maxLength + 1];
  }

  /** The key of the threshold found by the last {@link #mask} call that selected (any {@code k > 0} or REFERENCE). */
  int lastKey() {
    return key;
  }

  /** The signed order key of {@code x} (not NaN); {@code -0.0} maps like {@code 0.0}. */
  static int key(float x) {
    int b = Float.floatToRawIntBits(x + 0.0f);
    return b ^ ((b >> 31) & 0x7FFFFFFF);
  }

  /** The float whose {@link #key(float)} is {@code k}. */
  static float fromKey(int k) {
    return Float.intBitsToFloat(k ^ ((k >> 31) & 0x7FFFFFFF));
  }

  private static int topBucket(int key) {
    return (key >>> TOP_SHIFT) ^ (TOP_BUCKETS >>> 1);
  }

  /**
   * Writes the keep mask of {@code v[from, to)} into {@code m[from, to)}: {@code EXACT} prunes
   * exactly the {@code k} lowest (ties: lower index first), {@code REFERENCE} prunes every value
   * {@code <=} the value of rank {@code k}.
   *
   * @return false, with the mask range undefined, if the range holds a NaN
   */
  boolean mask(float[] v, int from, int to, int k, boolean exact, float[] m) {
    int n = to - from;
    if (n == 0) {
      return true;
    }
    if (exact && k == 0) {
      for (int i = from; i < to; i++) {
        if (v[i] != v[i]) {
          return false;
        }
      }
      Arrays.fill(m, from, to, 1f);
      return true;
    }
    int r = exact ? k - 1 : k;
    if (hasWindow && n >= MIN_WINDOWED) {
      int got = windowed(v, from, to, r, k, exact, m);
      if (got != 0) {
        return got > 0;
      }
    }
    if (!select(v, from, to, r)) {
      return false;
    }
    int t = key;
    int ties = exact ? k - below : equal;
    // Prune key <= t when every value equal to the threshold goes, else key < t and then the first ties equal ones.
    float tf = fromKey(t);
    if (ties == equal) {
      writeKeepAbove(v, from, to, tf, m);
    } else {
      if (tf == Float.NEGATIVE_INFINITY) {
        Arrays.fill(m, from, to, 1f);
      } else {
        writeKeepAbove(v, from, to, Math.nextDown(tf), m);
      }
      for (int i = from; ties > 0; i++) {
        if (key(v[i]) == t) {
          m[i] = 0f;
          ties--;
        }
      }
    }
    return true;
  }

  /**
   * {@code m[i] = v[i] > t ? 1 : 0} for non-NaN {@code v}. For finite {@code t} in float arithmetic
   * that the JIT vectorises: {@code (v - t) * 2^149} is {@code >= 1} or {@code +inf} for every
   * {@code v > t} (a positive difference of floats is at least {@code 2^-149}), and {@code <= 0}
   * otherwise ({@code -0.0 - 0.0} is {@code -0.0}); clamping to {@code [0, 1]} gives the mask.
   */
  static void writeKeepAbove(float[] v, int from, int to, float t, float[] m) {
    if (t == Float.POSITIVE_INFINITY) {
      Arrays.fill(m, from, to, 0f);
    } else if (t == Float.NEGATIVE_INFINITY) {
      for (int i = from; i < to; i++) {
        m[i] = v[i] > t ? 1f : 0f;
      }
    } else {
      for (int i = from; i < to; i++) {
        m[i] = Math.min(1f, Math.max(0f, (v[i] - t) * 0x1p100f * 0x1p49f));
      }
    }
  }

  /**
   * The one-pass path: 1 if the mask was written, -1 on a NaN, 0 if the rank missed the window
   * (the caller then redoes the range).
   */
  private int windowed(float[] v, int from, int to, int r, int k, boolean exact, float[] m) {
    int lo = windowLo;
    int hi = windowHi;
    int span = hi - lo;
    int spanFlipped = span ^ Integer.MIN_VALUE;
    int size = to - from + 1;
    if (cand.length < size || candIndex.length < size || work.length < size) {
      cand = new int[size];
      candIndex = new int[size];
      work = new int[size];
    }
    int[] ck = cand;
    int[] ci = candIndex;
    float hiValue = fromKey(hi);
    if (hiValue == Float.POSITIVE_INFINITY) {
      hasWindow = false;
      return 0;
    }
    // Provisional mask (keep above the window, prune the rest; the window's values are fixed up below) and the
    // range's minimum and maximum, in one vectorised pass; Math.min/max turn NaN into NaN.
    maskAboveWithRange(v, from, to, hiValue, m, range);
    float min = range[0];
    float max = range[1];
    if (min != min || max != max) {
      return -1;
    }
    if ((long) key(min) - lo < Integer.MIN_VALUE || (long) key(max) - lo > Integer.MAX_VALUE) {
      hasWindow = false; // kx - lo could overflow in gather(): take the histogram path
      return 0;
    }
    long counts = gather(v, from, to, lo, spanFlipped, ci);
    int below = (int) (counts >>> 32);
    int c = (int) counts;
    if (r < below || r >= below + c) {
      hasWindow = false;
      return 0;
    }
    int[] w = work;
    for (int j = 0; j < c; j++) {
      ck[j] = key(v[ci[j]]);
    }
    System.arraycopy(ck, 0, w, 0, c);
    refine(w, c, r - below, below, lo, span);
    int t = key;
    if (exact) {
      int ties = k - this.below;
      for (int j = 0; j < c; j++) {
        int kj = ck[j];
        int prune = kj < t ? 1 : 0;
        if (kj == t && ties > 0) {
          prune = 1;
          ties--;
        }
        m[ci[j]] = prune == 1 ? 0f : 1f;
      }
    } else {
      for (int j = 0; j < c; j++) {
        m[ci[j]] = ck[j] <= t ? 0f : 1f;
      }
    }
    learnWindow(t, c, (long) span + 1);
    windowedRanges++;
    return 1;
  }

  /**
   * The provisional mask {@code m = v > t ? 1 : 0} (finite {@code t}) and the minimum and maximum
   * of the range into {@code range} (NaN if the range holds a NaN), in one loop the JIT vectorises.
   */
  private static void maskAboveWithRange(float[] v, int from, int to, float t, float[] m, float[] range) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      float x = v[i];
      min = Math.min(min, x);
      max = Math.max(max, x);
      m[i] = Math.min(1f, Math.max(0f, (x - t) * 0x1p100f * 0x1p49f));
    }
    range[0] = min;
    range[1] = max;
  }

  /**
   * Counts the keys below {@code lo} and writes the indices of those in {@code [lo, lo + span]}
   * (span given as {@code span ^ MIN_VALUE}) to {@code ci}; no key may differ from {@code lo} by
   * {@code 2^31} or more. Returns {@code below << 32 | count}.
   */
  private static long gather(float[] v, int from, int to, int lo, int spanFlipped, int[] ci) {
    int below = 0;
    int c = 0;
    for (int i = from; i < to; i++) {
      int kx = key(v[i]);
      below += (kx - lo) >>> 31;
      if (((kx - lo) ^ Integer.MIN_VALUE) <= spanFlipped) { // rare (a few hundred per row): predictable
        ci[c++] = i;
      }
    }
    return (long) below << 32 | c;
  }

  /** Centres the next window on threshold key {@code t}, sized from {@code count} keys seen in {@code keys}. */
  private void learnWindow(int t, long count, long keys) {
    long half = count == 0 ? keys : Math.max(1, WINDOW_TARGET * keys / (2 * count));
    windowLo = (int) Math.max(KEY_NEG_INF, t - half);
    int hi = (int) Math.min(KEY_POS_INF, t + half);
    windowHi = hi == -1 ? 0 : hi; // key -1 is -0.0, which compares like key 0
    hasWindow = true;
  }

  /**
   * Finds the value of 0-based rank {@code r} in {@code v[from, to)} by the histogram path; sets
   * {@link #key}, {@link #below} and {@link #equal} and learns the window for the next range.
   *
   * @return false if the range holds a NaN
   */
  private boolean select(float[] v, int from, int to, int r) {
    int[] h = hist;
    Arrays.fill(h, 0);
    boolean nan = false;
    int i = from;
    for (; i + 1 < to; i += 2) {
      float a = v[i];
      float b = v[i + 1];
      nan |= (a != a) | (b != b);
      h[topBucket(key(a))]++;
      h[TOP_BUCKETS + topBucket(key(b))]++;
    }
    if (i < to) {
      float a = v[i];
      nan |= a != a;
      h[topBucket(key(a))]++;
    }
    if (nan) {
      return false;
    }
    int acc = 0;
    int bucket = 0;
    int count;
    while (true) {
      count = h[bucket] + h[TOP_BUCKETS + bucket];
      if (acc + count > r) {
        break;
      }
      acc += count;
      bucket++;
    }
    int[] c = cand;
    if (c.length < count + 1) {
      c = new int[count + 1];
      cand = c;
    }
    int m = 0;
    for (int j = from; j < to; j++) {
      int kj = key(v[j]);
      c[m] = kj;
      m += topBucket(kj) == bucket ? 1 : 0;
    }
    int base = (bucket ^ (TOP_BUCKETS >>> 1)) << TOP_SHIFT;
    refine(c, m, r - acc, acc, base, (1 << TOP_SHIFT) - 1);
    learnWindow(key, count, 1L << TOP_SHIFT);
    return true;
  }

  /**
   * Selects rank {@code r} among the {@code m} keys {@code c[0, m)}, all in {@code [lo, lo + span]}
   * ({@code span} read unsigned), of which {@code acc} more keys of the range lie below {@code lo};
   * sets {@link #key}, {@link #below} and {@link #equal}. Reorders {@code c}.
   */
  private void refine(int[] c, int m, int r, int acc, int lo, int span) {
    int shift = Math.max(0, 32 - Integer.numberOfLeadingZeros(span) - LOW_BITS);
    while (true) {
      if (m <= SORT_CUTOFF) {
        Arrays.sort(c, 0, m);
        int t = c[r];
        int first = r;
        while (first > 0 && c[first - 1] == t) {
          first--;
        }
        int end = r + 1;
        while (end < m && c[end] == t) {
          end++;
        }
        key = t;
        below = acc + first;
        equal = end - first;
        return;
      }
      // Offsets from lo; at this level every candidate shares the offset bits above shift + LOW_BITS.
      int[] h = hist;
      Arrays.fill(h, 0, LOW_BUCKETS, 0);
      for (int j = 0; j < m; j++) {
        h[((c[j] - lo) >>> shift) & (LOW_BUCKETS - 1)]++;
      }
      int bucket = 0;
      while (r >= h[bucket]) {
        r -= h[bucket];
        acc += h[bucket];
        bucket++;
      }
      if (shift == 0) {
        key = lo + (((c[0] - lo) & ~(LOW_BUCKETS - 1)) | bucket);
        below = acc;
        equal = h[bucket];
        return;
      }
      int n = 0;
      for (int j = 0; j < m; j++) {
        int kj = c[j];
        c[n] = kj;
        n += (((kj - lo) >>> shift) & (LOW_BUCKETS - 1)) == bucket ? 1 : 0;
      }
      m = n;
      shift = Math.max(0, shift - LOW_BITS);
    }
  }
}
