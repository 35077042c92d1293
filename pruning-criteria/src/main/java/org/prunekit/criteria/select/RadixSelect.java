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
 * refinement of those few candidates. The mask is then written in one branch-free pass; ties at
 * the threshold need a second, short pass only when not all of them are pruned.
 *
 * <p>An instance holds scratch space for ranges of up to a given length and is used by one thread.
 */
final class RadixSelect {
  private static final int TOP_SHIFT = 20;
  private static final int TOP_BUCKETS = 1 << 12;
  private static final int LOW_BITS = 10;
  private static final int LOW_BUCKETS = 1 << LOW_BITS;
  private static final int SORT_CUTOFF = 48;
  private static final int KEEP_BITS = Float.floatToRawIntBits(1f);

  private final int[] hist = new int[2 * TOP_BUCKETS];
  private int[] cand;

  // Result of the last select(): the key of the value at the rank, how many keys are below it, how many equal.
  private int key;
  private int below;
  private int equal;

  /** Scratch for ranges of up to {@code maxLength} scores (grown on demand for longer ones). */
  RadixSelect(int maxLength) {
    cand = new int[maxLength + 1];
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
   * @return false, writing nothing, if the range holds a NaN
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
    if (!select(v, from, to, exact ? k - 1 : k)) {
      return false;
    }
    int t = key;
    int ties = exact ? k - below : equal;
    // Prune key <= t when every value equal to the threshold goes, else key < t and then the first ties equal ones.
    int limit = ties == equal ? t : t - 1;
    if (ties != equal && t == Integer.MIN_VALUE) {
      Arrays.fill(m, from, to, 1f);
    } else {
      for (int i = from; i < to; i++) {
        int keep = (int) (((long) limit - key(v[i])) >>> 63);
        m[i] = Float.intBitsToFloat(-keep & KEEP_BITS);
      }
    }
    if (ties != equal) {
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
   * Finds the value of 0-based rank {@code r} in {@code v[from, to)}; sets {@link #key}, {@link
   * #below} and {@link #equal}.
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
    refine(c, m, r - acc, acc);
    return true;
  }

  /** Selects rank {@code r} among the {@code m} candidate keys sharing their top 12 bits. */
  private void refine(int[] c, int m, int r, int acc) {
    int shift = TOP_SHIFT - LOW_BITS;
    while (true) {
      if (m <= SORT_CUTOFF) {
        Arrays.sort(c, 0, m);
        int t = c[r];
        int lo = r;
        while (lo > 0 && c[lo - 1] == t) {
          lo--;
        }
        int hi = r + 1;
        while (hi < m && c[hi] == t) {
          hi++;
        }
        key = t;
        below = acc + lo;
        equal = hi - lo;
        return;
      }
      int[] h = hist;
      Arrays.fill(h, 0, LOW_BUCKETS, 0);
      for (int j = 0; j < m; j++) {
        h[(c[j] >>> shift) & (LOW_BUCKETS - 1)]++;
      }
      int bucket = 0;
      while (r >= h[bucket]) {
        r -= h[bucket];
        acc += h[bucket];
        bucket++;
      }
      if (shift == 0) {
        key = (c[0] & ~(LOW_BUCKETS - 1)) | bucket;
        below = acc;
        equal = h[bucket];
        return;
      }
      int n = 0;
      for (int j = 0; j < m; j++) {
        int kj = c[j];
        c[n] = kj;
        n += ((kj >>> shift) & (LOW_BUCKETS - 1)) == bucket ? 1 : 0;
      }
      m = n;
      shift -= LOW_BITS;
    }
  }
}
