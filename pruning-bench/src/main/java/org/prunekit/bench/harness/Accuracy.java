package org.prunekit.bench.harness;

import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;

/** Top-1 accuracy of a classifier graph on IDX data, run on DJL PyTorch (the reference engine). */
public final class Accuracy {
  private Accuracy() {}

  /**
   * The fraction of {@code data} whose arg-max logit equals the label.
   *
   * @param batchSize images per forward pass
   * @throws IllegalArgumentException if the output is not {@code [batch, classes]}
   */
  public static double top1(Graph graph, IdxDataset data, int batchSize) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("no images to evaluate");
    }
    long correct = 0;
    try (GraphExecutor ex = GraphExecutor.create(graph)) {
      for (int from = 0; from < data.size(); from += batchSize) {
        int to = Math.min(from + batchSize, data.size());
        Tensor logits = ex.predict(data.batch(from, to));
        if (logits.shape().rank() != 2 || logits.shape().get(0) != to - from) {
          throw new IllegalArgumentException("classifier output must be [batch, classes], got " + logits.shape());
        }
        correct += countCorrect(logits.data(), logits.shape().get(1), data.labels(from, to));
      }
    }
    return (double) correct / data.size();
  }

  /** How many rows of the row-major {@code logits} ({@code classes} per row) have their arg-max at the label. */
  static long countCorrect(float[] logits, int classes, int[] labels) {
    long correct = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (logits[i * classes + c] > logits[i * classes + best]) {
          best = c;
        }
      }
      if (best == labels[i]) {
        correct++;
      }
    }
    return correct;
  }
}
