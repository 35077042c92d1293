package org.prunekit.analysis.impact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.ModelZoo;

class ImpactPruningTest {
  @Test
  void calibrationNormsAreTheInputSumsOfSquares() {
    Graph g = ModelZoo.vit(ImpactEndToEndTest.CONFIG);
    PatchModel m = PatchModel.vit(g, ImpactEndToEndTest.CONFIG);
    ImpactData data = ImpactEndToEndTest.synthetic(10, 7);
    CircuitNodes nodes = CircuitNodes.discover(g);
    Map<String, double[]> norms = ImpactPruning.squaredNorms(m, data, nodes);
    Tensor ln1;
    Tensor gelu;
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      ln1 = ModelRuns.layerOutput(ex, m, data, "blk1_ln1", false, 4);
      gelu = ModelRuns.layerOutput(ex, m, data, "blk1_gelu", false, 4);
    }
    assertArrayEquals(columnSumSquares(ln1), norms.get("blk1_attn.q_weight"), 1e-3);
    assertArrayEquals(columnSumSquares(ln1), norms.get("blk1_attn.v_weight"), 1e-3);
    assertArrayEquals(columnSumSquares(gelu), norms.get("blk1_fc2.weight"), 1e-3);
    assertEquals(8, norms.get("blk1_attn.o_weight").length);
  }

  @Test
  void wandaHalvesEveryBlockRowAndLeavesEmbeddingAndHead() {
    Graph g = ModelZoo.vit(ImpactEndToEndTest.CONFIG);
    PatchModel m = PatchModel.vit(g, ImpactEndToEndTest.CONFIG);
    ImpactPruning.wanda(m, ImpactEndToEndTest.synthetic(10, 7), 0.5);
    for (String w : new String[] {"blk1_attn.q_weight", "blk1_attn.o_weight", "blk1_fc1.weight", "blk1_fc2.weight"}) {
      Parameter p = g.parameter(w);
      int cols = p.shape().get(1);
      float[] eff = CircuitEdges.effective(g, w);
      for (int r = 0; r < p.shape().get(0); r++) {
        int zeros = 0;
        for (int c = 0; c < cols; c++) {
          zeros += eff[r * cols + c] == 0f ? 1 : 0;
        }
        assertEquals(cols / 2, zeros, w + " row " + r);
      }
    }
    assertFalse(g.parameter("patch_embed.weight").hasMask());
    assertFalse(g.parameter("head.weight").hasMask());
    assertEquals(0.5, ImpactAnalyzer.blockSparsity(g, CircuitNodes.discover(g)), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> ImpactPruning.wanda(m, ImpactEndToEndTest.synthetic(4, 1), 1.5));
  }

  private static double[] columnSumSquares(Tensor t) {
    int cols = t.shape().get(1);
    double[] s = new double[cols];
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      s[i % cols] += (double) d[i] * d[i];
    }
    return s;
  }
}
