package org.prunekit.analysis.impact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.ModelZoo;

class CheferAttributionTest {
  @Test
  void relevanceIsIdentityPlusPositiveAttentionFlow() {
    Graph g = ModelZoo.vit(ImpactEndToEndTest.CONFIG);
    PatchModel m = PatchModel.vit(g, ImpactEndToEndTest.CONFIG);
    ImpactData d = ImpactEndToEndTest.synthetic(6, 9);
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      Tensor r = CheferAttribution.attributions(ex, m, d.patches(), new int[] {0, 1, 0, 1, 0, 1});
      assertArrayEquals(new int[] {6, 4}, r.shape().dims());
      // R = I + Ā R with Ā >= 0: every column sum of R is at least 1, and some attention flows.
      double total = 0;
      for (float v : r.data()) {
        assertTrue(v >= 1f - 1e-6f, "relevance " + v);
        total += v;
      }
      assertTrue(total > 6 * 4 + 1e-3, "no relevance flowed through attention: " + total);
    }
  }

  /** With o_weight = 0 the output does not depend on the attention maps: ∇A = 0, relevance = 1. */
  @Test
  void noGradientThroughAttentionGivesIdentity() {
    Graph g = ModelZoo.vit(ImpactEndToEndTest.CONFIG);
    Parameter o = g.parameter("blk1_attn.o_weight");
    o.setValue(Tensor.zeros(o.shape()));
    PatchModel m = PatchModel.vit(g, ImpactEndToEndTest.CONFIG);
    ImpactData d = ImpactEndToEndTest.synthetic(2, 9);
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      Tensor r = CheferAttribution.attributions(ex, m, d.patches(), new int[] {0, 1});
      assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, r.data(), 0f);
    }
  }

  @Test
  void badInput() {
    Graph noAttention = GraphBuilder.create(1).input("patches", 2, 2).flatten().linear("fc", 2).build();
    PatchModel lin = new PatchModel(noAttention, 2, 2, p -> new Tensor[] {p});
    try (GraphExecutor ex = GraphExecutor.create(noAttention)) {
      Tensor x = Tensor.zeros(new org.prunekit.core.graph.Shape(1, 2, 2));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CheferAttribution.attributions(ex, lin, x, new int[] {0}));
      assertTrue(e.getMessage().contains("attention"), e.getMessage());
    }
    Graph g = ModelZoo.vit(ImpactEndToEndTest.CONFIG);
    PatchModel m = PatchModel.vit(g, ImpactEndToEndTest.CONFIG);
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      assertThrows(IllegalArgumentException.class,
          () -> CheferAttribution.attributions(ex, m, ImpactEndToEndTest.synthetic(2, 1).patches(), new int[] {0, 5}));
    }
  }

  @Test
  void bothMethodsScoreInsertionAndDeletion() {
    Graph g = ModelZoo.vit(ImpactEndToEndTest.CONFIG);
    PatchModel m = PatchModel.vit(g, ImpactEndToEndTest.CONFIG);
    ImpactData d = ImpactEndToEndTest.synthetic(4, 2);
    AttributionFaithfulness.Score c = AttributionFaithfulness.evaluate(m, d, 4, 0f);
    AttributionFaithfulness.Score gi =
        AttributionFaithfulness.evaluate(m, d, 4, 0f, AttributionFaithfulness.Method.GRADIENT_X_INPUT);
    assertEquals(AttributionFaithfulness.Method.CHEFER, c.method());
    assertEquals(4, gi.images());
    for (double v : new double[] {c.insertionAuc(), c.deletionAuc(), gi.insertionAuc(), gi.deletionAuc()}) {
      assertTrue(v >= 0 && v <= 1, "AUC " + v);
    }
  }
}
