package org.prunekit.analysis.simcert;

import java.util.Objects;
import java.util.SplittableRandom;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;

/**
 * Empirical check of a certificate: samples {@code x} uniformly in the box, runs both graphs on
 * the DJL engine ({@link GraphExecutor}, float32) and keeps {@code Δ(x) = f(x) - g(x)}.
 *
 * <p>Also implements the spec's sampling fallback: the empirical Bernstein (Maurer–Pontil) upper
 * bound {@code p <= p̂ + sqrt(2 V̂ ln(2/δ) / n) + 7 ln(2/δ) / (3 (n - 1))} on the violation
 * probability {@code p = P(||Δ||_∞ > ε)}.
 */
public final class MonteCarloCheck {
  private static final int BATCH = 8192;

  private MonteCarloCheck() {}

  /**
   * The differences at {@code n} uniform samples of {@code box}.
   *
   * @throws IllegalArgumentException if {@code n < 2} or the box does not fit the graphs' input
   */
  public static Samples sample(Graph original, Graph compressed, InputBox box, int n, long seed) {
    Objects.requireNonNull(box, "box");
    if (n < 2) {
      throw new IllegalArgumentException("Monte-Carlo check needs at least 2 samples, got " + n);
    }
    int d = box.dims();
    int[] sample = original.inputs().get(0).sampleShape().dims();
    if (original.inputs().get(0).sampleShape().size() != d) {
      throw new IllegalArgumentException("input box has " + d + " dimensions, the graph input "
          + original.inputs().get(0).sampleShape() + " has " + original.inputs().get(0).sampleShape().size());
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] x = null;
    float[][] deltas = new float[n][];
    try (GraphExecutor ef = GraphExecutor.create(original); GraphExecutor eg = GraphExecutor.create(compressed)) {
      for (int start = 0; start < n; start += BATCH) {
        int b = Math.min(BATCH, n - start);
        float[] flat = new float[b * d];
        for (int i = 0; i < b * d; i++) {
          int k = i % d;
          flat[i] = (float) (box.lo(k) + rng.nextDouble() * box.width(k));
          // float rounding may leave the box by one ulp: clamp
          flat[i] = (float) Math.min(box.hi(k), Math.max(box.lo(k), flat[i]));
        }
        int[] dims = new int[sample.length + 1];
        dims[0] = b;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        float[] a = ef.predict(Tensor.of(flat, dims)).data();
        float[] c = eg.predict(Tensor.of(flat, dims)).data();
        int m = a.length / b;
        for (int i = 0; i < b; i++) {
          float[] r = new float[m];
          for (int j = 0; j < m; j++) {
            r[j] = a[i * m + j] - c[i * m + j];
          }
          deltas[start + i] = r;
        }
      }
    }
    return new Samples(deltas);
  }

  /** Sampled differences {@code Δ(x_i)}, one row per sample. */
  public static final class Samples {
    private final float[][] deltas;

    Samples(float[][] deltas) {
      this.deltas = deltas;
    }

    /** Number of samples. */
    public int size() {
      return deltas.length;
    }

    /** {@code Δ(x_i)} (a copy). */
    public float[] delta(int i) {
      return deltas[i].clone();
    }

    /** Largest observed {@code |Δ_j|} per output. */
    public double[] maxAbs() {
      double[] r = new double[deltas[0].length];
      for (float[] d : deltas) {
        for (int j = 0; j < d.length; j++) {
          r[j] = Math.max(r[j], Math.abs(d[j]));
        }
      }
      return r;
    }

    /** Fraction of samples with {@code ||Δ||_∞ > ε}. */
    public double violationRate(double epsilon) {
      int v = 0;
      for (float[] d : deltas) {
        for (float x : d) {
          if (Math.abs(x) > epsilon) {
            v++;
            break;
          }
        }
      }
      return (double) v / deltas.length;
    }

    /**
     * Samples with some {@code Δ_j} outside {@code [lower_j - tol, upper_j + tol]}.
     *
     * @param tol slack for float32 execution against double-precision bounds
     */
    public int outside(double[] lower, double[] upper, double tol) {
      int v = 0;
      for (float[] d : deltas) {
        for (int j = 0; j < d.length; j++) {
          if (d[j] < lower[j] - tol || d[j] > upper[j] + tol) {
            v++;
            break;
          }
        }
      }
      return v;
    }

    /**
     * Maurer–Pontil upper bound on {@code P(||Δ||_∞ > ε)} holding with probability {@code
     * confidence} over the sampling.
     */
    public double empiricalBernsteinBound(double epsilon, double confidence) {
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
      }
      int n = deltas.length;
      double p = violationRate(epsilon);
      double var = p * (1 - p) * n / (n - 1.0);
      double ln = Math.log(2 / (1 - confidence));
      return Math.min(1, p + Math.sqrt(2 * var * ln / n) + 7 * ln / (3.0 * (n - 1)));
    }
  }
}
