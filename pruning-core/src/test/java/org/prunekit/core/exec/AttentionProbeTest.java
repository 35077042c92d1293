package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Node;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/** The o-projection input the probe returns is what the attention node multiplies by o_weight. */
class AttentionProbeTest {
  @Test
  void contextTimesOWeightIsTheNodeOutput() {
    Graph g = GraphBuilder.create(7).input("x", 3, 8).attention("att", 4, 2, true, 10000f).build();
    Node att = g.node("att");
    float[] xv = new float[2 * 3 * 8];
    for (int i = 0; i < xv.length; i++) {
      xv[i] = (float) Math.cos(0.7 * i);
    }
    Tensor x = Tensor.of(xv, 2, 3, 8);
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = ex.manager().newSubManager()) {
      Tensor out = ex.predict(x);
      NDArray ctx = AttentionProbe.outputProjectionInput(att, TensorConversions.toDjl(m, x), ex.parameters());
      float[] c = ctx.toFloatArray();
      float[] o = g.parameter("att.o_weight").value().data();
      float[] expect = new float[out.data().length];
      for (int t = 0; t < 6; t++) {
        for (int i = 0; i < 8; i++) {
          double s = 0;
          for (int j = 0; j < 8; j++) {
            s += (double) o[i * 8 + j] * c[t * 8 + j];
          }
          expect[t * 8 + i] = (float) s;
        }
      }
      assertArrayEquals(expect, out.data(), 1e-5f);
      // Causal: position 0's context is exactly the v projection of token 0 (one key to attend to).
      float[] wv = g.parameter("att.v_weight").value().data();
      for (int h = 0; h < 4; h++) {
        for (int d = 0; d < 2; d++) {
          int row = (h / 2) * 2 + d; // kv head h / groupSize
          double v = 0;
          for (int j = 0; j < 8; j++) {
            v += (double) wv[row * 8 + j] * xv[j];
          }
          assertArrayEquals(new float[] {(float) v}, new float[] {c[h * 2 + d]}, 1e-5f);
        }
      }
      assertThrows(IllegalArgumentException.class,
          () -> AttentionProbe.outputProjectionInput(g.node("att"), m.zeros(new ai.djl.ndarray.types.Shape(1, 3, 5)),
              ex.parameters()));
    }
  }
}
