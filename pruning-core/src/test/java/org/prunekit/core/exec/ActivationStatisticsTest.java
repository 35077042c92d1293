package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

/** Streaming calibration statistics, hand-computed. */
class ActivationStatisticsTest {

  private static Graph linearGraph() {
    return GraphBuilder.create(1)
        .input("x", 2)
        .node("fc", new Linear(2, 1, false), Map.of("weight", Tensor.of(new float[] {1, 1}, 1, 2)), "x")
        .node("relu", Activation.of(Activation.Kind.RELU), Map.of(), "fc")
        .build();
  }

  private static void feed(GraphExecutor ex, ActivationStatistics stats, float[] data, long... shape) {
    try (NDManager m = ex.manager().newSubManager()) {
      ex.forward(new NDList(m.create(data, new Shape(shape))), List.of(stats));
    }
  }

  @Test
  void linearColumnNormsOneBatch() {
    try (GraphExecutor ex = GraphExecutor.create(linearGraph())) {
      ActivationStatistics stats = new ActivationStatistics(ActivationStatistics.linearAndConv());
      // x1 = [1, 0], x2 = [1, 2]
      feed(ex, stats, new float[] {1, 0, 1, 2}, 2, 2);
      assertEquals(Set.of("fc"), stats.nodes(), "relu is filtered out");
      assertEquals(2, stats.tokens("fc"));
      assertArrayEquals(new double[] {2, 4}, stats.sumSquares("fc"), 1e-9);
      assertArrayEquals(new double[] {Math.sqrt(2), 2}, stats.columnNorms("fc"), 1e-6);
      assertArrayEquals(new double[] {1.4142, 2}, stats.columnNorms("fc"), 1e-4);
      assertArrayEquals(new double[] {2, 2}, stats.sums("fc"), 1e-9);
      assertArrayEquals(new double[] {1, 1}, stats.means("fc"), 1e-9);
    }
  }

  @Test
  void streamingGivesTheSameAsOneBatch() {
    try (GraphExecutor ex = GraphExecutor.create(linearGraph())) {
      ActivationStatistics stats = new ActivationStatistics(ActivationStatistics.linearAndConv());
      feed(ex, stats, new float[] {1, 0}, 1, 2);
      feed(ex, stats, new float[] {1, 2}, 1, 2);
      assertEquals(2, stats.tokens("fc"));
      assertArrayEquals(new double[] {Math.sqrt(2), 2}, stats.columnNorms("fc"), 1e-6);
      stats.reset();
      assertEquals(Set.of(), stats.nodes());
    }
  }

  @Test
  void linearTokensAreAllLeadingDims() {
    Graph g = GraphBuilder.create(1)
        .input("x", 2, 2)
        .node("fc", new Linear(2, 1, false), Map.of("weight", Tensor.of(new float[] {1, 1}, 1, 2)), "x")
        .build();
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      ActivationStatistics stats = new ActivationStatistics(n -> true);
      feed(ex, stats, new float[] {1, 0, 1, 2, 0, 3, 0, 0}, 2, 2, 2);
      assertEquals(4, stats.tokens("fc"));
      assertArrayEquals(new double[] {2, 13}, stats.sumSquares("fc"), 1e-9);
    }
  }

  @Test
  void convStatisticsPerInputChannelOverBatchAndSpace() {
    Conv conv = Conv.simple(2, 2, 1, 1, 0);
    Graph g = GraphBuilder.create(1)
        .input("img", 2, 2, 2)
        .node("conv", conv, Map.of("weight", Tensor.of(new float[] {1, 1}, 1, 2, 1, 1),
            "bias", Tensor.of(new float[] {0}, 1)), "img")
        .build();
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      ActivationStatistics stats = new ActivationStatistics(ActivationStatistics.linearAndConv());
      // channel 0: 1, 2, 3, 4 ; channel 1: 0, 0, 0, 1
      feed(ex, stats, new float[] {1, 2, 3, 4, 0, 0, 0, 1}, 1, 2, 2, 2);
      // a second sample, channel 0 all 1, channel 1 all 2
      feed(ex, stats, new float[] {1, 1, 1, 1, 2, 2, 2, 2}, 1, 2, 2, 2);
      assertEquals(8, stats.tokens("conv"));
      assertArrayEquals(new double[] {30 + 4, 1 + 16}, stats.sumSquares("conv"), 1e-9);
      assertArrayEquals(new double[] {(10 + 4) / 8.0, (1 + 8) / 8.0}, stats.means("conv"), 1e-9);
    }
  }

  @Test
  void unknownNodeIsNamed() {
    ActivationStatistics stats = new ActivationStatistics(n -> true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stats.tokens("nope"));
    assertEquals(true, e.getMessage().contains("'nope'"));
  }
}
