package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/** The im2col rows times the weight's [out, in*k] view are the conv's output. */
class ConvProbeTest {
  /** 1 channel 3x3 input, 2x2 kernel, no padding: the four windows by hand. */
  @Test
  void windowsByHand() {
    Graph g = GraphBuilder.create(1).input("x", 1, 3, 3).conv2d("c", 1, 2, 1, 0).build();
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = ex.manager().newSubManager()) {
      NDArray x = TensorConversions.toDjl(m, Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3));
      NDArray cols = ConvProbe.im2col(g.node("c"), x);
      assertArrayEquals(new long[] {4, 4}, cols.getShape().getShape());
      assertArrayEquals(new float[] {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9}, cols.toFloatArray());
    }
  }

  private static void checkProduct(Conv op, int batch, int h, int w) {
    Graph g = GraphBuilder.create(3).input("x", op.inChannels(), h, w).node("c", op, "x").build();
    int n = batch * op.inChannels() * h * w;
    float[] xv = new float[n];
    for (int i = 0; i < n; i++) {
      xv[i] = (float) Math.sin(0.37 * i + 0.1);
    }
    Tensor x = Tensor.of(xv, batch, op.inChannels(), h, w);
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = ex.manager().newSubManager()) {
      Tensor out = ex.predict(x); // [batch, out, ho, wo]
      NDArray cols = ConvProbe.im2col(g.node("c"), TensorConversions.toDjl(m, x));
      float[] c = cols.toFloatArray();
      int width = op.inChannels() * op.kernel()[0] * op.kernel()[1];
      int positions = out.shape().get(2) * out.shape().get(3);
      assertArrayEquals(new long[] {(long) batch * positions, width}, cols.getShape().getShape());
      float[] wt = g.parameter("c.weight").value().data();
      float[] b = g.parameter("c.bias").value().data();
      for (int bi = 0; bi < batch; bi++) {
        for (int o = 0; o < op.outChannels(); o++) {
          for (int p = 0; p < positions; p++) {
            double s = b[o];
            for (int j = 0; j < width; j++) {
              s += (double) wt[o * width + j] * c[(bi * positions + p) * width + j];
            }
            float got = out.data()[(bi * op.outChannels() + o) * positions + p];
            assertEquals(s, got, 1e-5, "batch " + bi + " out " + o + " position " + p);
          }
        }
      }
    }
  }

  @Test
  void productIsTheConvOutputWithPaddingStrideAndDilation() {
    checkProduct(new Conv(2, 3, 4, new int[] {3, 3}, new int[] {1, 1}, Padding.symmetric(2, 1), new int[] {1, 1}, 1,
        true), 2, 5, 5);
    checkProduct(new Conv(2, 2, 3, new int[] {3, 2}, new int[] {2, 1}, Padding.same(2), new int[] {1, 2}, 1, true),
        2, 6, 7);
  }

  @Test
  void rejectsWhatHasNoColumnLayout() {
    Graph g = GraphBuilder.create(1).input("x", 4, 3, 3).conv2d("c", 4, 3, 1, 1, 2).relu().build();
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = ex.manager().newSubManager()) {
      NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(1, 4, 3, 3));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ConvProbe.im2col(g.node("c"), x));
      assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("groups=2"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> ConvProbe.im2col(g.nodes().get(1), x));
      assertTrue(e.getMessage().contains("not conv"), e.getMessage());
    }
  }
}
