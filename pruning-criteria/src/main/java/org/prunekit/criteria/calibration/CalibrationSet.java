package org.prunekit.criteria.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.prunekit.core.data.TokenWindows;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.io.CalibrationHash;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.tensor.Tensor;

/**
 * The calibration inputs of a pruning run: a fixed, ordered list of samples of one per-sample shape
 * (e.g. 128 token windows {@code [128]}), chosen deterministically from a seed, with a SHA-256 that
 * identifies them in the {@link Provenance}.
 *
 * <p>Hash: a {@link CalibrationHash} over, first, the per-sample shape (its dimensions as floats),
 * then every sample's values in order; so the same samples in another order, or reshaped, hash
 * differently.
 *
 * <pre>{@code
 * CalibrationSet cal = CalibrationSet.randomWindows(corpus.train(), 128, 128, 0);  // Wanda's default
 * cal.recordIn(Provenance.builder()).setCriterion("wanda").setSeed(cal.seed()).build();
 * }</pre>
 */
public final class CalibrationSet {
  private final List<Tensor> samples;
  private final Shape sampleShape;
  private final long seed;
  private final String description;
  private final String sha256;

  private CalibrationSet(List<Tensor> samples, long seed, String description) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("empty calibration: a calibration set needs at least one sample");
    }
    this.sampleShape = samples.get(0).shape();
    for (int i = 0; i < samples.size(); i++) {
      Tensor s = Objects.requireNonNull(samples.get(i), "sample " + i);
      if (!s.shape().equals(sampleShape)) {
        throw new IllegalArgumentException("calibration sample " + i + " has shape " + s.shape() + ", sample 0 has "
            + sampleShape);
      }
      int bad = s.firstNonFinite();
      if (bad >= 0) {
        throw new IllegalArgumentException("calibration sample " + i + " holds " + s.data()[bad] + " at flat index "
            + bad);
      }
    }
    this.samples = List.copyOf(samples);
    this.seed = seed;
    this.description = Objects.requireNonNull(description, "description");
    CalibrationHash h = new CalibrationHash();
    int[] dims = sampleShape.dims();
    float[] shapeValues = new float[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shapeValues[i] = dims[i];
    }
    h.update(shapeValues);
    for (Tensor s : this.samples) {
      h.update(s.data());
    }
    this.sha256 = h.hex();
  }

  /**
   * Given samples, in order (copied references; the tensors must not change afterwards).
   *
   * @param seed the seed that chose them (recorded in the provenance)
   * @param description where they come from, for reports
   * @throws IllegalArgumentException if there are none (empty calibration), shapes differ, or a
   *     value is NaN/infinite (naming the sample)
   */
  public static CalibrationSet of(List<Tensor> samples, long seed, String description) {
    return new CalibrationSet(new ArrayList<>(Objects.requireNonNull(samples, "samples")), seed, description);
  }

  /**
   * {@code count} windows of {@code seqLen} tokens at seeded random starts in {@code tokens} (as
   * Wanda's {@code get_loaders}; see {@link TokenWindows#random}), each sample the window's input
   * ids {@code [seqLen]} as floats.
   */
  public static CalibrationSet randomWindows(int[] tokens, int seqLen, int count, long seed) {
    TokenWindows w = TokenWindows.random(tokens, seqLen, count, seed);
    List<Tensor> s = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      s.add(w.inputs(i, i + 1).reshape(new Shape(seqLen)));
    }
    return new CalibrationSet(s, seed, count + " random " + seqLen + "-token windows of " + tokens.length
        + " tokens (SplittableRandom seed " + seed + ")");
  }

  /**
   * {@code count} distinct samples out of a pool of {@code poolSize}, chosen by a seeded partial
   * Fisher–Yates shuffle ({@link SplittableRandom}), in the order drawn.
   *
   * @param sampleAt returns pool sample {@code i}
   * @throws IllegalArgumentException unless {@code 1 <= count <= poolSize}
   */
  public static CalibrationSet select(int poolSize, int count, long seed, IntFunction<Tensor> sampleAt,
      String description) {
    if (count < 1 || count > poolSize) {
      throw new IllegalArgumentException("cannot choose " + count + " calibration samples from a pool of " + poolSize);
    }
    int[] idx = new int[poolSize];
    for (int i = 0; i < poolSize; i++) {
      idx[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<Tensor> s = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(poolSize - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
      s.add(sampleAt.apply(idx[i]));
    }
    return new CalibrationSet(s, seed, count + " of " + poolSize + " " + description + " (SplittableRandom seed "
        + seed + ")");
  }

  /** Number of samples. */
  public int size() {
    return samples.size();
  }

  /** The per-sample shape. */
  public Shape sampleShape() {
    return sampleShape;
  }

  /** The seed that chose the samples. */
  public long seed() {
    return seed;
  }

  /** Where the samples come from. */
  public String description() {
    return description;
  }

  /** Lowercase hex SHA-256 of the shape and the samples (see the class comment). */
  public String sha256() {
    return sha256;
  }

  /** Sample {@code i} (shared, do not modify). */
  public Tensor sample(int i) {
    return samples.get(i);
  }

  /** Samples {@code [from, to)} stacked into one batch {@code [to - from, sampleShape...]}. */
  public Tensor batch(int from, int to) {
    if (from < 0 || to > samples.size() || from >= to) {
      throw new IndexOutOfBoundsException("calibration batch [" + from + ", " + to + ") of " + samples.size());
    }
    int n = Math.toIntExact(sampleShape.size());
    float[] v = new float[(to - from) * n];
    for (int i = from; i < to; i++) {
      System.arraycopy(samples.get(i).data(), 0, v, (i - from) * n, n);
    }
    return new Tensor(sampleShape.withBatch(to - from), v);
  }

  /** Records the sample count and hash in a provenance builder ({@code optCalibration}). */
  public Provenance.Builder recordIn(Provenance.Builder builder) {
    return builder.optCalibration(samples.size(), sha256);
  }

  @Override
  public String toString() {
    return "CalibrationSet[" + description + ", shape " + sampleShape + ", sha256 " + sha256 + "]";
  }
}
