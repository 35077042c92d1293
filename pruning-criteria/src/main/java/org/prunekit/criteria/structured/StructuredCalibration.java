package org.prunekit.criteria.structured;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.core.exec.GradientCapture;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.core.tensor.TensorData;

/**
 * Calibration data for importances that need more than weights: the mean loss gradient of every
 * trainable parameter over calibration batches (for {@code "taylor"}).
 *
 * <p>Gradients belong to one graph: after physical pruning the shapes change, so compute them
 * again for the pruned graph (the iterative pruner does this through a {@link
 * java.util.function.Function Function&lt;Graph, StructuredCalibration&gt;}).
 *
 * @param gradients mean gradient per qualified parameter name
 */
public record StructuredCalibration(Map<String, TensorData> gradients) {
  /** Copies the map. */
  public StructuredCalibration {
    gradients = Map.copyOf(Objects.requireNonNull(gradients, "gradients"));
  }

  /** No calibration data (enough for {@code l1}, {@code l2}, {@code bn-scale}, {@code random}). */
  public static StructuredCalibration none() {
    return new StructuredCalibration(Map.of());
  }

  /**
   * Runs every batch forward and backward through {@code graph} on the DJL PyTorch engine (inference
   * mode: batch-norm uses its running statistics, dropout is off) and averages the parameter
   * gradients ({@link GradientCapture#means()}). The graph is not changed.
   *
   * @param graph the graph to score
   * @param loss the loss, evaluated as {@code loss.evaluate(labels, predictions)}
   * @param batches at least one batch
   * @throws IllegalArgumentException if there is no batch or a batch does not fit the graph
   */
  public static StructuredCalibration fromBatches(Graph graph, Loss loss, List<CalibrationBatch> batches) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(loss, "loss");
    if (batches == null || batches.isEmpty()) {
      throw new IllegalArgumentException("calibration needs at least one batch");
    }
    try (NDManager m = DjlEnvironment.newManager();
        GradientCapture capture = GradientCapture.of(graph, loss)) {
      for (CalibrationBatch b : batches) {
        try (NDManager scope = m.newSubManager()) {
          NDList in = new NDList();
          for (Tensor t : b.inputs()) {
            in.add(TensorConversions.toDjl(scope, t));
          }
          NDList labels = new NDList();
          for (Tensor t : b.labels()) {
            labels.add(TensorConversions.toDjl(scope, t));
          }
          capture.accumulate(in, labels);
        }
      }
      return new StructuredCalibration(new LinkedHashMap<>(capture.means()));
    }
  }
}
