package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

class GradientCaptureTest {
  private static final float[] W = {1f, -2f, 0.5f, 0f, 3f, -1f}; // [2,3]
  private static final float[] B = {0.5f, -1f};
  private static final float[] X = {1f, 2f, 3f, -1f, 0f, 2f}; // [2,3]
  private static final float[] T = {1f, 0f, 0f, 1f}; // [2,2]

  private static Graph linear() {
    return GraphBuilder.create(0)
        .input("x", 3)
        .node("fc", new Linear(3, 2, true), Map.of("weight", Tensor.of(W.clone(), 2, 3), "bias", Tensor.of(B.clone(), 2)), "x")
        .build();
  }

  /*
   * By hand: y = x W^T + b
   *   row 0: x=(1,2,3): y0 = 1 - 4 + 1.5 + 0.5 = -1.0, y1 = 0 + 6 - 3 - 1 = 2.0
   *   row 1: x=(-1,0,2): y0 = -1 + 0 + 1 + 0.5 = 0.5, y1 = 0 + 0 - 2 - 1 = -3.0
   * DJL L2Loss: L = mean(0.5 (y - t)^2) over the 4 elements
   *   y - t = [[-2, 2], [0.5, -4]], squares 4, 4, 0.25, 16 -> L = 0.5 * 24.25 / 4 = 3.03125
   * dL/dy = (y - t) / 4 = [[-0.5, 0.5], [0.125, -1]]
   * dL/dW = dy^T x: row 0 = -0.5*(1,2,3) + 0.125*(-1,0,2) = (-0.625, -1, -1.25)
   *                 row 1 =  0.5*(1,2,3) - 1*(-1,0,2)     = (1.5, 1, -0.5)
   * dL/db = column sums of dy = (-0.375, -0.5)
   */
  private static final float LOSS = 3.03125f;
  private static final float[] DW = {-0.625f, -1f, -1.25f, 1.5f, 1f, -0.5f};
  private static final float[] DB = {-0.375f, -0.5f};
  private static final float[] DY = {-0.5f, 0.5f, 0.125f, -1f};

  @Test
  void linearL2GradientsMatchHandComputedValues() {
    Graph g = linear();
    try (NDManager m = DjlEnvironment.newManager();
        GradientCapture capture = GradientCapture.of(g, Loss.l2Loss())) {
      NDList in = new NDList(m.create(X, new Shape(2, 3)));
      NDList labels = new NDList(m.create(T, new Shape(2, 2)));
      GradientCapture.Gradients grads = capture.compute(in, labels, List.of("fc"));
      assertEquals(LOSS, grads.loss(), 1e-6f);
      assertArrayEquals(DW, grads.parameters().get("fc.weight").data(), 1e-6f);
      assertArrayEquals(DB, grads.parameters().get("fc.bias").data(), 1e-6f);
      assertEquals(List.of(2, 3), List.of(grads.parameters().get("fc.weight").shape().get(0), grads.parameters().get("fc.weight").shape().get(1)));
      assertArrayEquals(DY, grads.activations().get("fc").data(), 1e-6f);
      assertFalse(in.head().hasGradient(), "inputs are left alone");
      assertEquals(m, in.head().getManager(), "inputs return to their manager");
      assertArrayEquals(W, g.parameter("fc.weight").value().data(), "graph values unchanged");
    }
  }

  @Test
  void accumulatesSumsAndCountsWithoutLeaking() {
    Graph g = linear();
    try (NDManager m = DjlEnvironment.newManager();
        GradientCapture capture = GradientCapture.of(g, Loss.l2Loss())) {
      NDManager system = m.getParentManager();
      NDList in = new NDList(m.create(X, new Shape(2, 3)));
      NDList labels = new NDList(m.create(T, new Shape(2, 2)));
      capture.accumulate(in, labels);
      int live = system.getManagedArrays().size();
      capture.accumulate(in, labels);
      capture.accumulate(in, labels);
      assertEquals(live, system.getManagedArrays().size(), "no arrays left behind per batch");
      assertEquals(3, capture.count());
      float[] sum = capture.sums().get("fc.weight").data();
      for (int i = 0; i < DW.length; i++) {
        assertEquals(3 * DW[i], sum[i], 1e-5f);
      }
      assertArrayEquals(DB, capture.means().get("fc.bias").data(), 1e-6f);
      capture.reset();
      assertEquals(0, capture.count());
      assertThrows(IllegalStateException.class, capture::means);
    }
  }

  @Test
  void blockSourceGivesSameGradientsAndLeavesNoneBehind() {
    Graph g = linear();
    GraphBlock block = new GraphBlock(g);
    try (NDManager m = DjlEnvironment.newManager();
        GradientCapture capture = GradientCapture.of(block, Loss.l2Loss())) {
      assertThrows(IllegalStateException.class, () -> capture.compute(new NDList(m.zeros(new Shape(2, 3))), new NDList(m.zeros(new Shape(2, 2))), List.of()));
      block.initialize(m, DataType.FLOAT32, new Shape(2, 3));
      NDList in = new NDList(m.create(X, new Shape(2, 3)));
      NDList labels = new NDList(m.create(T, new Shape(2, 2)));
      NDManager system = m.getParentManager();
      int live = 0;
      for (int rep = 0; rep < 3; rep++) { // later passes must not see earlier passes' gradients
        GradientCapture.Gradients grads = capture.compute(in, labels, List.of("fc"));
        assertArrayEquals(DW, grads.parameters().get("fc.weight").data(), 1e-6f);
        assertArrayEquals(DB, grads.parameters().get("fc.bias").data(), 1e-6f);
        assertArrayEquals(DY, grads.activations().get("fc").data(), 1e-6f);
        if (rep == 0) {
          live = system.getManagedArrays().size();
        }
      }
      assertEquals(live, system.getManagedArrays().size(), "no arrays left behind per pass");
      NDArray gw = block.djlParameter("fc.weight").getArray().getGradient();
      assertArrayEquals(new float[6], gw.toFloatArray(), "block gradients zeroed afterwards");
      gw.close();
    }
  }

  @Test
  void sameArrayAsInputAndLabelSurvives() {
    Graph g =
        GraphBuilder.create(0)
            .input("x", 2)
            .node("fc", new Linear(2, 2, false), Map.of("weight", Tensor.of(new float[] {2f, 0f, 0f, 2f}, 2, 2)), "x")
            .build();
    try (NDManager m = DjlEnvironment.newManager();
        GradientCapture capture = GradientCapture.of(g, Loss.l2Loss())) {
      NDArray x = m.create(new float[] {1f, 2f}, new Shape(1, 2));
      // y = 2x, L = mean(0.5 (2x - x)^2) = 0.5 * (1 + 4) / 2 = 1.25; dL/dW = ((y - x) / 2)^T x = [[0.5, 1], [1, 2]]
      GradientCapture.Gradients grads = capture.compute(new NDList(x), new NDList(x), List.of());
      assertEquals(1.25f, grads.loss(), 1e-6f);
      assertArrayEquals(new float[] {0.5f, 1f, 1f, 2f}, grads.parameters().get("fc.weight").data(), 1e-6f);
      assertEquals(m, x.getManager());
      assertArrayEquals(new float[] {1f, 2f}, x.toFloatArray(), "still open and unchanged");
    }
  }

  @Test
  void rejectsUnknownNodesAndWrongInputCount() {
    Graph g = linear();
    try (NDManager m = DjlEnvironment.newManager();
        GradientCapture capture = GradientCapture.of(g, Loss.l2Loss())) {
      NDList labels = new NDList(m.zeros(new Shape(2, 2)));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> capture.compute(new NDList(m.zeros(new Shape(2, 3))), labels, List.of("nope")));
      assertEquals(true, e.getMessage().contains("nope"));
      assertThrows(IllegalArgumentException.class, () -> capture.compute(new NDList(), labels, List.of()));
    }
  }
}
