package org.prunekit.analysis.impact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/** Shared engine plumbing: logits, probabilities and captured node outputs of a patch model. */
final class ModelRuns {
  private ModelRuns() {}

  /** Logits {@code [N, classes]} of a patch batch. */
  static Tensor logits(GraphExecutor ex, PatchModel model, Tensor patches) {
    return ex.predict(model.inputs(patches))[0];
  }

  /** Softmax probabilities of each row's target class (computed in double). */
  static float[] targetProbabilities(Tensor logits, int[] targets) {
    int n = logits.shape().get(0);
    int c = logits.shape().get(1);
    float[] l = logits.data();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, l[i * c + j]);
      }
      double sum = 0;
      for (int j = 0; j < c; j++) {
        sum += Math.exp(l[i * c + j] - max);
      }
      out[i] = (float) (Math.exp(l[i * c + targets[i]] - max) / sum);
    }
    return out;
  }

  /** Index of the largest value of each row. */
  static int[] argmax(Tensor logits) {
    int n = logits.shape().get(0);
    int c = logits.shape().get(1);
    float[] l = logits.data();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < c; j++) {
        if (l[i * c + j] > l[i * c + best]) {
          best = j;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** Top-1 accuracy on the data. */
  static double accuracy(GraphExecutor ex, PatchModel model, ImpactData data, int batchSize) {
    long correct = 0;
    for (int from = 0; from < data.size(); from += batchSize) {
      int to = Math.min(data.size(), from + batchSize);
      int[] pred = argmax(logits(ex, model, data.batch(from, to)));
      for (int i = 0; i < pred.length; i++) {
        correct += pred[i] == data.label(from + i) ? 1 : 0;
      }
    }
    return (double) correct / data.size();
  }

  /**
   * Checks that {@code layer} names a node of {@code graph}.
   *
   * @throws IllegalArgumentException naming the layer if it is not found
   */
  static void requireLayer(Graph graph, String layer) {
    if (layer == null || !graph.hasNode(layer)) {
      throw new IllegalArgumentException("layer '" + layer + "' not found in the graph (nodes: "
          + graph.nodes().stream().map(Node::name).toList() + ")");
    }
  }

  /**
   * The output of node {@code layer} for all images, last axis = features: {@code [N * T, F]} for a
   * token output {@code [N, T, F]} (or {@code [N, F]} with {@code tokenMean}, averaged over tokens),
   * {@code [N, F]} for a rank-2 output.
   *
   * @throws IllegalArgumentException if the layer is unknown or its output is not rank 2 or 3
   */
  static Tensor layerOutput(GraphExecutor ex, PatchModel model, ImpactData data, String layer, boolean tokenMean,
      int batchSize) {
    requireLayer(ex.graph(), layer);
    float[] all = null;
    int features = -1;
    int rowsPerImage = -1;
    for (int from = 0; from < data.size(); from += batchSize) {
      int to = Math.min(data.size(), from + batchSize);
      float[][] captured = new float[1][];
      long[][] shape = new long[1][];
      ExecutionHook tap = new ExecutionHook() {
        @Override
        public NDArray onOutput(Node node, NDArray output) {
          if (node.name().equals(layer)) {
            long[] s = output.getShape().getShape();
            if (s.length == 3 && tokenMean) {
              try (NDArray m = output.mean(new int[] {1})) {
                captured[0] = m.toFloatArray();
              }
            } else {
              captured[0] = output.toFloatArray();
            }
            shape[0] = s;
          }
          return output;
        }
      };
      try (NDManager call = ex.manager().newSubManager()) {
        NDList in = new NDList();
        for (Tensor t : model.inputs(data.batch(from, to))) {
          in.add(TensorConversions.toDjl(call, t));
        }
        ex.forward(in, List.of(tap)).close();
      }
      if (captured[0] == null) {
        throw new IllegalStateException("layer '" + layer + "' produced no output during the pass");
      }
      long[] s = shape[0];
      if (s.length != 2 && s.length != 3) {
        throw new IllegalArgumentException("layer '" + layer + "' has output shape " + java.util.Arrays.toString(s)
            + "; need [N, F] or [N, T, F]");
      }
      if (all == null) {
        features = (int) s[s.length - 1];
        rowsPerImage = s.length == 3 && !tokenMean ? (int) s[1] : 1;
        all = new float[Math.multiplyExact(data.size() * rowsPerImage, features)];
      }
      System.arraycopy(captured[0], 0, all, from * rowsPerImage * features, captured[0].length);
    }
    return new Tensor(new Shape(data.size() * rowsPerImage, features), all);
  }
}
