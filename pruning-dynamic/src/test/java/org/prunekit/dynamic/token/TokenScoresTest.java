package org.prunekit.dynamic.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

class TokenScoresTest {
  /** dim 4, 2 heads of 2, identity projections, zero biases. */
  private static Graph identityAttention() {
    Attention a = new Attention(4, 2, 2, 2, false, 0f, true);
    float[] eye = new float[16];
    for (int i = 0; i < 4; i++) {
      eye[i * 5] = 1f;
    }
    Map<String, Tensor> v = new HashMap<>();
    for (String p : new String[] {"q", "k", "v", "o"}) {
      v.put(p + "_weight", new Tensor(new Shape(4, 4), eye.clone()));
      v.put(p + "_bias", Tensor.zeros(new Shape(4)));
    }
    return GraphBuilder.create(1).input("x", 4, 4).node("attn", a, v, "x").build();
  }

  // tokens: [1,0,0,0] [3,4,0,0] [1,1,1,1] [0,0,0,2]
  private static final float[] X = {1, 0, 0, 0, 3, 4, 0, 0, 1, 1, 1, 1, 0, 0, 0, 2};

  @Test
  void valueNormIsTheHeadMeanOfValueNorms() {
    Graph g = identityAttention();
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = ex.manager().newSubManager()) {
      NDArray x = TensorConversions.toDjl(m, new Tensor(new Shape(1, 4, 4), X));
      float[] s = TokenScores.valueNorm(g.node("attn"), x, ex.parameters()).toFloatArray();
      // heads (dims 0-1, 2-3): t0 (1, 0) -> 0.5; t1 (5, 0) -> 2.5; t2 (sqrt2, sqrt2) -> 1.4142; t3 (0, 2) -> 1
      assertArrayEquals(new float[] {0.5f, 2.5f, 1.41421356f, 1f}, s, 1e-5f);
      // ranking keeps t1 and t2 at ratio 0.5 of 4 with none protected
      assertArrayEquals(new int[] {1, 2}, KeepRule.select(s, new boolean[4], KeepRule.keepCount(4, 0.5)));
    }
  }

  @Test
  void attentionReceivedFromTheClassRowIsItsSoftmaxRow() {
    Graph g = identityAttention();
    Node attn = g.node("attn");
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = ex.manager().newSubManager()) {
      NDArray x = TensorConversions.toDjl(m, new Tensor(new Shape(1, 4, 4), X));
      float[] s = TokenScores.attentionReceived(attn, x, ex.parameters(), new int[] {0}).toFloatArray();
      // Query row 0 = (1,0,0,0). Head 0 (dims 0,1): q=(1,0), keys (1,0) (3,4) (1,1) (0,0) -> logits
      // 1, 3, 1, 0 over sqrt(2); head 1 (dims 2,3): q=(0,0) -> uniform 1/4.
      double r = Math.sqrt(2);
      double[] e = {Math.exp(1 / r), Math.exp(3 / r), Math.exp(1 / r), 1};
      double z = e[0] + e[1] + e[2] + e[3];
      for (int i = 0; i < 4; i++) {
        assertEquals((e[i] / z + 0.25) / 2, s[i], 1e-5, "token " + i);
      }
      float[] all = TokenScores.attentionReceived(attn, x, ex.parameters(), new int[0]).toFloatArray();
      double sum = 0;
      for (float f : all) {
        sum += f;
      }
      assertEquals(1.0, sum, 1e-5); // mean of softmax rows sums to 1
    }
  }
}
