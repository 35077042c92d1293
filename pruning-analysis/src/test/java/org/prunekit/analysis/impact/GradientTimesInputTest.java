package org.prunekit.analysis.impact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

class GradientTimesInputTest {
  /** logits = W flatten(x) + b, so attribution(t) = sum_d W[c, t*P + d] * x[t, d], bias ignored. */
  @Test
  void linearModelHandComputed() {
    Graph g = GraphBuilder.create(1).input("patches", 2, 2).flatten().linear("fc", 2).build();
    g.parameter("fc.weight").setValue(Tensor.of(new float[] {1, 2, 3, 4, -1, 0, 0.5f, 2}, 2, 4));
    g.parameter("fc.bias").setValue(Tensor.of(new float[] {10, -10}, 2));
    PatchModel m = new PatchModel(g, 2, 2, p -> new Tensor[] {p});
    // image 0: x = [[1, 1], [2, 0]], target 0: patch 0 = 1*1 + 2*1 = 3; patch 1 = 3*2 + 4*0 = 6
    // image 1: x = [[1, 2], [1, 1]], target 1: patch 0 = -1*1 + 0*2 = -1; patch 1 = 0.5 + 2 = 2.5
    Tensor x = new Tensor(new Shape(2, 2, 2), new float[] {1, 1, 2, 0, 1, 2, 1, 1});
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      Tensor a = GradientTimesInput.attributions(ex, m, x, new int[] {0, 1});
      assertArrayEquals(new float[] {3, 6, -1, 2.5f}, a.data(), 1e-5f);
      assertThrows(IllegalArgumentException.class, () -> GradientTimesInput.attributions(ex, m, x, new int[] {0, 2}));
      assertThrows(IllegalArgumentException.class, () -> GradientTimesInput.attributions(ex, m, x, new int[] {0}));
    }
  }
}
