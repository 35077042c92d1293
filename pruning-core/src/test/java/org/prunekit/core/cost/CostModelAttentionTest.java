package org.prunekit.core.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.tensor.Tensor;

class CostModelAttentionTest {

  private static Graph attention(int kvHeads, float rope, boolean bias) {
    // modelDim 8, 4 query heads of dim 2, sequence 3
    return GraphBuilder.create(5).input("x", 3, 8)
        .node("attn", new Attention(8, 4, kvHeads, 2, true, rope, bias), "x")
        .build();
  }

  @Test
  void groupedQueryAttentionByHand() {
    NodeCost c = CostModel.of(attention(2, 0f, false), 2).node("attn");
    // tokens T = 2 * 3 = 6; q = 4*2 = 8, kv = 2*2 = 4
    long q = 6 * 8 * 8; // 384
    long k = 6 * 8 * 4; // 192, smaller than q: grouped query attention
    long v = 6 * 8 * 4; // 192
    long o = 6 * 8 * 8; // 384
    long qk = 2 * 4 * 3 * 3 * 2; // batch * heads * seq * seq * headDim = 144 (causal counted full)
    long av = 2 * 4 * 3 * 3 * 2; // 144
    assertEquals(q + k + v + o + qk + av, c.macs());
    assertEquals(1440, c.macs());
    assertEquals(1440, c.effectiveMacs());
    assertEquals(64 + 32 + 32 + 64, c.params());
    assertEquals(2 * 4 * 3 * 3, c.elementOps()); // softmax over 72 scores
    assertEquals(4 * (2 * 3 * 8 + 192), c.bytesRead());
    assertEquals(4 * 2 * 3 * 8, c.bytesWritten());
  }

  @Test
  void fullMultiHeadCostsMoreThanGqaByTheKvProjections() {
    long gqa = CostModel.of(attention(2, 0f, false), 2).total().macs();
    long mha = CostModel.of(attention(4, 0f, false), 2).total().macs();
    assertEquals(2 * 6 * 8 * 4, mha - gqa); // k and v each grow by T * 8 * (8 - 4)
  }

  @Test
  void maskedKeyProjectionOnlyReducesProjectionMacs() {
    Graph g = attention(2, 0f, false);
    g.parameter("attn.k_weight").setMask(Tensor.zeros(new Shape(4, 8)));
    NodeCost c = CostModel.of(g, 2).node("attn");
    assertEquals(1440, c.macs());
    assertEquals(1440 - 192, c.effectiveMacs()); // QK^T and AV are activation x activation
    assertEquals(192 - 32, c.nonZeroParams());
    assertEquals(4 * (48 + 160), c.effectiveBytesRead());
  }

  @Test
  void biasAndRopeAreElementOps() {
    NodeCost c = CostModel.of(attention(2, 10000f, true), 2).node("attn");
    long softmax = 72;
    long biases = 6 * (8 + 4 + 4 + 8);
    long rope = 6 * (8 + 4); // q and k rotated
    assertEquals(softmax + biases + rope, c.elementOps());
    assertEquals(1440, c.macs());
    assertEquals(192 + 24, c.params());
    assertEquals(192, c.nonZeroParams()); // biases are initialised to 0
  }

  @Test
  void overflowNamesTheNode() {
    Graph g = GraphBuilder.create(5).input("x", 1 << 20, 8)
        .node("attn", new Attention(8, 4, 2, 2, false, 0f, false), "x")
        .build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CostModel.of(g, 1 << 20));
    assertTrue(e.getMessage().contains("'attn'"), e.getMessage());
  }
}
