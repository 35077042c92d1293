package org.prunekit.bench.harness;

import java.util.Arrays;
import java.util.Objects;

/**
 * One latency measurement: a model configuration on one engine at one batch size.
 *
 * @param engine engine name
 * @param batch batch size
 * @param medianMs median wall-clock milliseconds per forward pass (of the whole batch)
 * @param p90Ms 90th percentile (nearest rank) milliseconds
 * @param speedup {@code medianMs} of the same model's dense baseline (same engine, batch and run)
 *     divided by this {@code medianMs}; 1 for the baseline itself
 */
public record LatencyResult(String engine, int batch, double medianMs, double p90Ms, double speedup) {
  /** Validates the figures. */
  public LatencyResult {
    Objects.requireNonNull(engine, "engine");
    if (batch < 1 || !(medianMs > 0) || !(p90Ms >= medianMs) || !(speedup > 0)) {
      throw new IllegalArgumentException("bad latency result for engine " + engine + " batch " + batch + ": median "
          + medianMs + ", p90 " + p90Ms + ", speedup " + speedup);
    }
  }

  /** The median of {@code times} (mean of the middle two for an even count). */
  public static double median(double[] times) {
    double[] t = sorted(times);
    int n = t.length;
    return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
  }

  /** The nearest-rank 90th percentile of {@code times}: the {@code ceil(0.9 n)}-th smallest. */
  public static double p90(double[] times) {
    double[] t = sorted(times);
    return t[(int) Math.ceil(0.9 * t.length) - 1];
  }

  private static double[] sorted(double[] times) {
    if (times.length == 0) {
      throw new IllegalArgumentException("no latency samples");
    }
    double[] t = times.clone();
    Arrays.sort(t);
    return t;
  }
}
