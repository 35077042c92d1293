package org.prunekit.core.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

/**
 * Hidden dimensions across a LayerNorm: the pruned norm normalises over the kept dimensions only,
 * so the zeroed-original invariant does not hold (the group says so in its notes); the pruned
 * model is checked against a hand computation instead.
 */
class NormHiddenDimTest {
  private static final float[] EMB = {
    0.5f, -1.0f, 2.0f, 0.25f,
    -0.75f, 1.5f, 0.1f, -2.0f,
    1.0f, 0.3f, -0.6f, 0.9f};
  private static final float[] GAMMA = {1.5f, 0.7f, -0.4f, 1.1f};
  private static final float[] BETA = {0.1f, -0.2f, 0.3f, 0.05f};
  private static final float[] W = {0.2f, -0.5f, 1.0f, 0.4f, -0.3f, 0.8f, 0.6f, -1.2f};
  private static final float[] B = {0.01f, -0.02f};

  private static Graph model() {
    return GraphBuilder.create(1).input("ids", 2)
        .node("emb", new Embedding(3, 4), Map.of("weight", Tensor.of(EMB.clone(), 3, 4)), "ids")
        .node("ln", new LayerNorm(4, 1e-5f, true),
            Map.of("gamma", Tensor.of(GAMMA.clone(), 4), "beta", Tensor.of(BETA.clone(), 4)), "emb")
        .node("fc", new Linear(4, 2, true), Map.of("weight", Tensor.of(W.clone(), 2, 4), "bias", Tensor.of(B.clone(), 2)),
            "ln")
        .build();
  }

  /** LayerNorm over dims {0, 2, 3} of token t, then fc restricted to those columns. */
  private static double[] expected(int t) {
    int[] kept = {0, 2, 3};
    double mean = 0;
    for (int d : kept) {
      mean += EMB[t * 4 + d];
    }
    mean /= kept.length;
    double var = 0;
    for (int d : kept) {
      var += Math.pow(EMB[t * 4 + d] - mean, 2);
    }
    var /= kept.length;
    double[] y = {B[0], B[1]};
    for (int d : kept) {
      double n = (EMB[t * 4 + d] - mean) / Math.sqrt(var + 1e-5) * GAMMA[d] + BETA[d];
      y[0] += W[d] * n;
      y[1] += W[4 + d] * n;
    }
    return y;
  }

  @Test
  void prunedLayerNormNormalisesOverKeptDimensions() {
    Graph g = model();
    PruningGroup grp = DependencyGraph.build(g).group("emb embedding dims");
    assertEquals(1, grp.notes().size());
    StructuralPlan plan = StructuralPlan.builder().remove(grp, 1).build();
    Graph p = PhysicalPruner.apply(g, plan);
    assertEquals(new LayerNorm(3, 1e-5f, true), p.node("ln").op());
    Tensor ids = Tensor.of(new float[] {2, 0}, 1, 2);
    try (GraphExecutor pruned = GraphExecutor.create(p);
        GraphExecutor zeroed = GraphExecutor.create(PhysicalPrunerInvariantTest.zeroedReference(g, plan))) {
      Tensor y = pruned.predict(ids);
      assertArrayEquals(new int[] {1, 2, 2}, y.shape().dims());
      double[] e2 = expected(2);
      double[] e0 = expected(0);
      float[] want = {(float) e2[0], (float) e2[1], (float) e0[0], (float) e0[1]};
      assertArrayEquals(want, y.data(), 1e-5f);
      // as the note says: zeroing a dimension is not the same as removing it under a LayerNorm
      float diff = PhysicalPrunerInvariantTest.maxAbsDiff(zeroed.predict(ids), y);
      assertTrue(diff > 1e-3f, "LayerNorm statistics should differ, diff " + diff);
    }
  }

  @Test
  void transformerWithNormsRunsAfterHiddenDimensionRemoval() {
    Graph g = StructureModels.hiddenWithNorms();
    PruningGroup grp = DependencyGraph.build(g).group("emb embedding dims");
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().remove(grp, 0, 3, 4).build());
    try (GraphExecutor ex = GraphExecutor.create(p)) {
      Tensor y = ex.predict(StructureModels.input(g, 2, true, 11));
      assertArrayEquals(new int[] {2, 5, 11}, y.shape().dims());
      assertEquals(-1, y.firstNonFinite());
    }
  }
}
