package org.prunekit.criteria.calibration;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/** Runs a (sub-)graph over stored activation batches, with optional hooks, on its executor. */
final class BlockRunner {
  private BlockRunner() {}

  /**
   * Feeds every batch through {@code ex}; returns the outputs as heap tensors when {@code keep},
   * else an empty list. Native memory is released batch by batch.
   */
  static List<Tensor> run(GraphExecutor ex, List<Tensor> batches, List<ExecutionHook> hooks, boolean keep) {
    List<Tensor> out = new ArrayList<>(keep ? batches.size() : 0);
    for (Tensor b : batches) {
      try (NDManager m = ex.manager().newSubManager()) {
        NDArray in = TensorConversions.toDjl(m, b);
        NDList res = ex.forward(new NDList(in), hooks);
        if (keep) {
          out.add(TensorConversions.fromDjl(res.singletonOrThrow()));
        }
      }
    }
    return out;
  }

  /** Runs {@code graph} once over {@code batches} (a fresh executor, closed afterwards). */
  static List<Tensor> run(Graph graph, List<Tensor> batches) {
    try (GraphExecutor ex = GraphExecutor.create(graph)) {
      return run(ex, batches, List.of(), true);
    }
  }
}
