package org.prunekit.core.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * Fixed-length windows over a token sequence for next-token prediction: window {@code w} starting
 * at {@code s} has inputs {@code tokens[s .. s+seqLen)} and targets {@code tokens[s+1 ..
 * s+seqLen]} (so each window reads {@code seqLen + 1} tokens; the context restarts at every
 * window).
 *
 * <p>Two ways to place windows: {@link #nonOverlapping} (evaluation: window {@code w} starts at
 * {@code w * seqLen}, as many as fit) and {@link #random} (calibration: starts drawn uniformly
 * from a seeded generator, as Wanda's {@code get_loaders} draws {@code randint(0, len - seqLen -
 * 1)}; the generator is Java's {@link SplittableRandom}, so the windows are deterministic per seed
 * but not the ones Python's {@code random} would pick).
 */
public final class TokenWindows {
  private final int[] tokens;
  private final int seqLen;
  private final int[] starts;

  private TokenWindows(int[] tokens, int seqLen, int[] starts) {
    this.tokens = tokens;
    this.seqLen = seqLen;
    this.starts = starts;
  }

  /**
   * The {@code floor((n - 1) / seqLen)} non-overlapping windows of {@code tokens}.
   *
   * @throws IllegalArgumentException if {@code seqLen < 1} or not even one window fits
   */
  public static TokenWindows nonOverlapping(int[] tokens, int seqLen) {
    Objects.requireNonNull(tokens, "tokens");
    requireFits(tokens.length, seqLen);
    int n = (tokens.length - 1) / seqLen;
    int[] s = new int[n];
    for (int w = 0; w < n; w++) {
      s[w] = w * seqLen;
    }
    return new TokenWindows(tokens, seqLen, s);
  }

  /**
   * {@code count} windows with starts drawn uniformly from {@code [0, n - seqLen - 1]} by {@code
   * new SplittableRandom(seed)} (repeats possible, as in the reference).
   *
   * @throws IllegalArgumentException if {@code count < 1}, {@code seqLen < 1} or no window fits
   */
  public static TokenWindows random(int[] tokens, int seqLen, int count, long seed) {
    Objects.requireNonNull(tokens, "tokens");
    requireFits(tokens.length, seqLen);
    if (count < 1) {
      throw new IllegalArgumentException("window count must be >= 1, got " + count);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int bound = tokens.length - seqLen; // starts 0 .. n - seqLen - 1 inclusive
    int[] s = new int[count];
    for (int i = 0; i < count; i++) {
      s[i] = rng.nextInt(bound);
    }
    return new TokenWindows(tokens, seqLen, s);
  }

  private static void requireFits(int n, int seqLen) {
    if (seqLen < 1) {
      throw new IllegalArgumentException("window length must be >= 1, got " + seqLen);
    }
    if (n < seqLen + 1) {
      throw new IllegalArgumentException(
          "a window of " + seqLen + " inputs needs " + (seqLen + 1) + " tokens, the sequence has " + n);
    }
  }

  /** Number of windows. */
  public int size() {
    return starts.length;
  }

  /** Window length (inputs per window). */
  public int seqLen() {
    return seqLen;
  }

  /** The start offsets (a copy). */
  public int[] starts() {
    return starts.clone();
  }

  /** Windows {@code [from, to)} of these, as their own set (e.g. a quick evaluation subset). */
  public TokenWindows range(int from, int to) {
    checkRange(from, to);
    if (from == to) {
      throw new IllegalArgumentException("window range [" + from + ", " + to + ") is empty");
    }
    return new TokenWindows(tokens, seqLen, Arrays.copyOfRange(starts, from, to));
  }

  /** Input ids of windows {@code [from, to)} as a float tensor {@code [to - from, seqLen]}. */
  public Tensor inputs(int from, int to) {
    checkRange(from, to);
    float[] v = new float[(to - from) * seqLen];
    for (int w = from; w < to; w++) {
      int s = starts[w];
      int base = (w - from) * seqLen;
      for (int t = 0; t < seqLen; t++) {
        v[base + t] = tokens[s + t];
      }
    }
    return new Tensor(new Shape(to - from, seqLen), v);
  }

  /** Target ids of window {@code w}: {@code tokens[s+1 .. s+seqLen]}. */
  public int[] targets(int w) {
    checkRange(w, w + 1);
    return Arrays.copyOfRange(tokens, starts[w] + 1, starts[w] + 1 + seqLen);
  }

  private void checkRange(int from, int to) {
    if (from < 0 || to > starts.length || from > to) {
      throw new IndexOutOfBoundsException("windows [" + from + ", " + to + ") of " + starts.length);
    }
  }
}
