package org.prunekit.examples;

import java.util.Arrays;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;

/**
 * A quick wall-clock latency probe for the demo table (median of repeated forward passes after a
 * warm-up, on the DJL PyTorch engine). Figures that the project claims come from the JMH suite in
 * {@code pruning-bench}; this is a sanity column, measured on the real execution path.
 */
public final class Latency {
  private Latency() {}

  /** Median milliseconds of one forward pass of {@code input} through {@code graph}. */
  public static double medianMillis(Graph graph, Tensor input, int warmup, int runs) {
    try (GraphExecutor ex = GraphExecutor.create(graph)) {
      for (int i = 0; i < warmup; i++) {
        ex.predict(input);
      }
      double[] t = new double[runs];
      for (int i = 0; i < runs; i++) {
        long s = System.nanoTime();
        ex.predict(input);
        t[i] = (System.nanoTime() - s) / 1e6;
      }
      Arrays.sort(t);
      return t[runs / 2];
    }
  }
}
