package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

/** The executor and the interpreter: numerics, masks, hooks, input validation, memory. */
class GraphExecutorTest {

  /** x[2] -> fc1 (2x2) -> relu -> fc2 (1x2). */
  static Graph mlp() {
    return GraphBuilder.create(1)
        .input("x", 2)
        .node("fc1", new Linear(2, 2, true), Map.of(
            "weight", Tensor.of(new float[] {1, -1, 2, 1}, 2, 2), "bias", Tensor.of(new float[] {0, -1}, 2)), "x")
        .node("relu", Activation.of(Activation.Kind.RELU), Map.of(), "fc1")
        .node("fc2", new Linear(2, 1, true), Map.of(
            "weight", Tensor.of(new float[] {1, 3}, 1, 2), "bias", Tensor.of(new float[] {0.5f}, 1)), "relu")
        .build();
  }

  // x = [3, 1]: fc1 = [2, 6], relu = [2, 6], fc2 = 2 + 18 + 0.5
  private static final Tensor X = Tensor.of(new float[] {3, 1}, 1, 2);

  @Test
  void predictComputesTheGraph() {
    try (GraphExecutor ex = GraphExecutor.create(mlp())) {
      Tensor y = ex.predict(X);
      assertArrayEquals(new int[] {1, 1}, y.shape().dims());
      assertEquals(20.5f, y.data()[0], 1e-5);
      // x = [1, 3]: fc1 = [-2, 4], relu = [0, 4], fc2 = 12.5
      Tensor batch = ex.predict(Tensor.of(new float[] {3, 1, 1, 3}, 2, 2));
      assertArrayEquals(new float[] {20.5f, 12.5f}, batch.data(), 1e-5f);
    }
  }

  @Test
  void masksApplyAndRefreshPicksUpChanges() {
    Graph g = mlp();
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      g.parameter("fc2.weight").setMask(Tensor.of(new float[] {1, 0}, 1, 2));
      assertEquals(20.5f, ex.predict(X).data()[0], 1e-5, "copies are taken at creation and refresh");
      ex.refreshParameters();
      assertEquals(2.5f, ex.predict(X).data()[0], 1e-5, "masked weight contributes nothing");
      // the heap value itself is untouched by the executor
      assertEquals(3f, g.parameter("fc2.weight").value().data()[1]);
      g.parameter("fc2.bias").setValue(Tensor.of(new float[] {-2.5f}, 1));
      ex.refreshParameters();
      assertEquals(-0.5f, ex.predict(X).data()[0], 1e-5);
    }
    try (GraphExecutor fresh = GraphExecutor.create(g)) {
      assertEquals(-0.5f, fresh.predict(X).data()[0], 1e-5, "masks applied at creation");
    }
  }

  @Test
  void inputShapeErrorNamesTheInput() {
    try (GraphExecutor ex = GraphExecutor.create(mlp())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ex.predict(Tensor.of(new float[] {1, 2, 3}, 1, 3)));
      assertTrue(e.getMessage().contains("'x'"), e.getMessage());
      assertTrue(e.getMessage().contains("[batch, 2]") && e.getMessage().contains("[1, 3]"), e.getMessage());
      IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> ex.predict(X, X));
      assertTrue(count.getMessage().contains("[x]"), count.getMessage());
    }
  }

  @Test
  void repeatedPredictionsDoNotLeakNativeArrays() {
    try (GraphExecutor ex = GraphExecutor.create(mlp())) {
      ex.predict(X);
      int baseline = ex.manager().getManagedArrays().size();
      assertEquals(4, baseline, "only the four parameters stay");
      for (int i = 0; i < 50; i++) {
        ex.predict(X);
      }
      assertEquals(baseline, ex.manager().getManagedArrays().size());
    }
  }

  @Test
  void forwardFreesIntermediatesAndKeepsInputs() {
    try (GraphExecutor ex = GraphExecutor.create(mlp()); NDManager m = ex.manager().newSubManager()) {
      NDArray x = m.create(new float[] {3, 1}, new ai.djl.ndarray.types.Shape(1, 2));
      List<NDArray> seen = new ArrayList<>();
      ExecutionHook keep = new ExecutionHook() {
        @Override
        public NDArray onOutput(Node node, NDArray output) {
          seen.add(output);
          return output;
        }
      };
      NDList out = ex.forward(new NDList(x), List.of(keep));
      assertEquals(2, m.getManagedArrays().size(), "input and output only");
      assertFalse(x.isReleased());
      assertTrue(seen.get(0).isReleased() && seen.get(1).isReleased(), "fc1 and relu closed");
      assertSame(seen.get(2), out.get(0));
      assertEquals(20.5f, out.get(0).getFloat(0, 0), 1e-5);
      for (int i = 0; i < 20; i++) {
        ex.forward(new NDList(x), List.of()).close();
      }
      assertEquals(2, m.getManagedArrays().size());
    }
  }

  @Test
  void hooksObserveInOrderAndGate() {
    try (GraphExecutor ex = GraphExecutor.create(mlp()); NDManager m = ex.manager().newSubManager()) {
      NDArray x = m.create(new float[] {3, 1}, new ai.djl.ndarray.types.Shape(1, 2));
      List<String> events = new ArrayList<>();
      ExecutionHook log = new ExecutionHook() {
        @Override
        public void onInputs(Node node, NDList inputs) {
          events.add("in:" + node.name() + inputs.get(0).getShape());
        }

        @Override
        public NDArray onOutput(Node node, NDArray output) {
          events.add("out:" + node.name());
          return output;
        }
      };
      ExecutionHook gate = new ExecutionHook() {
        @Override
        public NDArray onOutput(Node node, NDArray output) {
          if (node.name().equals("relu")) {
            return output.zerosLike();
          }
          return output;
        }
      };
      NDList gated = ex.forward(new NDList(x), List.of(log, gate));
      assertEquals(List.of("in:fc1(1, 2)", "out:fc1", "in:relu(1, 2)", "out:relu", "in:fc2(1, 2)", "out:fc2"), events);
      assertEquals(0.5f, gated.get(0).getFloat(0, 0), 1e-6, "zeroed relu leaves only fc2's bias");
      // gating one unit: relu = [2, 0] -> 2 + 0.5
      ExecutionHook half = new ExecutionHook() {
        @Override
        public NDArray onOutput(Node node, NDArray output) {
          return node.name().equals("relu") ? output.mul(m.create(new float[] {1, 0})) : output;
        }
      };
      assertEquals(2.5f, ex.forward(new NDList(x), List.of(half)).get(0).getFloat(0, 0), 1e-6);
      // skipping: relu's output replaced by its input (fc1 = [2, 6]), aliasing is safe
      ExecutionHook skip = new ExecutionHook() {
        NDArray lastInput;

        @Override
        public void onInputs(Node node, NDList inputs) {
          lastInput = inputs.get(0);
        }

        @Override
        public NDArray onOutput(Node node, NDArray output) {
          return node.name().equals("relu") ? lastInput : output;
        }
      };
      NDArray x2 = m.create(new float[] {1, 3}, new ai.djl.ndarray.types.Shape(1, 2));
      // fc1 = [-2, 4]; without relu fc2 = -2 + 12 + 0.5
      assertEquals(10.5f, ex.forward(new NDList(x2), List.of(skip)).get(0).getFloat(0, 0), 1e-5);
    }
  }

  @Test
  void failureClosesIntermediates() {
    try (GraphExecutor ex = GraphExecutor.create(mlp()); NDManager m = ex.manager().newSubManager()) {
      NDArray x = m.create(new float[] {3, 1}, new ai.djl.ndarray.types.Shape(1, 2));
      ExecutionHook boom = new ExecutionHook() {
        @Override
        public void onInputs(Node node, NDList inputs) {
          if (node.name().equals("fc2")) {
            throw new IllegalStateException("boom");
          }
        }
      };
      assertThrows(IllegalStateException.class, () -> ex.forward(new NDList(x), List.of(boom)));
      assertEquals(1, m.getManagedArrays().size(), "only the caller's input is left");
      assertFalse(x.isReleased());
    }
  }

  @Test
  void multipleInputsAndOutputs() {
    Graph g = new Graph(
        List.of(new InputSpec("a", new Shape(2)), new InputSpec("b", new Shape(1))),
        List.of(new Node("cat", new Concat(1), List.of("a", "b"), Map.of()),
            new Node("act", Activation.of(Activation.Kind.RELU), List.of("cat"), Map.of())),
        List.of("act", "cat", "a"));
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      Tensor[] out = ex.predict(Tensor.of(new float[] {-1, 2}, 1, 2), Tensor.of(new float[] {3}, 1, 1));
      assertEquals(3, out.length);
      assertArrayEquals(new float[] {0, 2, 3}, out[0].data());
      assertArrayEquals(new float[] {-1, 2, 3}, out[1].data());
      assertArrayEquals(new float[] {-1, 2}, out[2].data());
      try (NDManager m = ex.manager().newSubManager()) {
        NDArray a = m.create(new float[] {-1, 2}, new ai.djl.ndarray.types.Shape(1, 2));
        NDArray b = m.create(new float[] {3}, new ai.djl.ndarray.types.Shape(1, 1));
        NDList res = ex.forward(new NDList(a, b), List.of());
        assertNotSame(a, res.get(2), "an input returned as output is a copy the caller owns");
        res.close();
        assertFalse(a.isReleased());
      }
      assertThrows(IllegalArgumentException.class, () -> ex.predict(Tensor.of(new float[] {1, 2}, 1, 2)));
    }
  }

  @Test
  void closedExecutorRefusesWork() {
    GraphExecutor ex = GraphExecutor.create(mlp());
    ex.close();
    assertThrows(IllegalStateException.class, () -> ex.predict(X));
  }

  @Test
  void offlinePropertiesAreSet() {
    GraphExecutor.create(mlp()).close();
    assertEquals("true", System.getProperty(Offline.OFFLINE_PROPERTY));
    assertEquals("true", System.getProperty(Offline.OPT_OUT_TRACKING));
    assertTrue(ai.djl.util.Utils.isOfflineMode());
  }
}
