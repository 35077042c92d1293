package org.prunekit.criteria;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.activation.WandaCriterion;
import org.prunekit.criteria.magnitude.MagnitudeCriterion;
import org.prunekit.criteria.pattern.NmPattern;
import org.prunekit.criteria.select.MaskSelector;

/** Pruning's fused ROW path (magnitude, Wanda) gives the masks of score + MaskSelector bit for bit. */
class FusedPruningTest {
  private static float[] tieHeavy(SplittableRandom rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextInt(3) == 0 ? (float) rng.nextGaussian() : (rng.nextInt(5) - 2) * 0.5f;
    }
    return v;
  }

  private static Map<String, Tensor> referenceMasks(Graph g, Criterion c, ScoringInputs in, double s,
      ThresholdMode mode) {
    Map<String, Tensor> scores = new LinkedHashMap<>();
    for (String name : List.of("a.weight", "b.weight")) {
      ScoringContext ctx = ScoringContext.builderFor(g.parameter(name))
          .optInputColumnSquaredNorms(in.inputColumnSquaredNorms().get(name)).build();
      scores.put(name, c.score(ctx));
    }
    MaskSet m = MaskSelector.select(scores, s, Scope.ROW, mode);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String name : m.names()) {
      out.put(name, m.mask(name));
    }
    return out;
  }

  @Test
  void fusedMasksEqualScoreThenSelect() {
    SplittableRandom rng = new SplittableRandom(17);
    int in = 700;
    Graph g = TestGraphs.twoLinears(tieHeavy(rng, 120 * in), 120, tieHeavy(rng, 90 * in), 90, in);
    double[] sq = new double[in];
    for (int j = 0; j < in; j++) {
      sq[j] = j % 9 == 0 ? 0 : Math.pow(10, 2 * rng.nextDouble());
    }
    ScoringInputs norms = ScoringInputs.ofNorms(Map.of("a.weight", sq, "b.weight", sq));
    for (Criterion c : List.of(new MagnitudeCriterion(), new WandaCriterion())) {
      for (ThresholdMode mode : ThresholdMode.values()) {
        for (double s : new double[] {0, 0.3, 0.5, 0.9}) {
          PruningSpec spec = PruningSpec.builder().setCriterion(c).setSparsity(s).optScope(Scope.ROW)
              .optThresholdMode(mode).build();
          assertTrue(Pruning.fusable(c, spec, g.parameter("a.weight")));
          MaskSet got = Pruning.computeMasks(g, spec, norms);
          Map<String, Tensor> want = referenceMasks(g, c, norms, s, mode);
          for (String name : want.keySet()) {
            assertArrayEquals(want.get(name).data(), got.mask(name).data(), c + " " + mode + " s=" + s + " " + name);
          }
        }
      }
    }
  }

  @Test
  void existingMasksAndOtherScopesTakeTheGeneralPath() {
    SplittableRandom rng = new SplittableRandom(19);
    int in = 64;
    Graph g = TestGraphs.twoLinears(tieHeavy(rng, 8 * in), 8, tieHeavy(rng, 8 * in), 8, in);
    MagnitudeCriterion c = new MagnitudeCriterion();
    PruningSpec row = PruningSpec.of("magnitude", 0.25, Scope.ROW);
    assertFalse(Pruning.fusable(c, PruningSpec.of("magnitude", 0.25, Scope.LAYER), g.parameter("a.weight")));
    assertFalse(Pruning.fusable(c, PruningSpec.of("magnitude", NmPattern.keep(2, 4)),
        g.parameter("a.weight")));
    Pruning.prune(g, PruningSpec.of("magnitude", 0.25, Scope.LAYER));
    float[] before = g.parameter("a.weight").mask().data().clone();
    g.parameter("b.weight").setMask(null);
    assertFalse(Pruning.fusable(c, row, g.parameter("a.weight")));
    assertTrue(Pruning.fusable(c, row, g.parameter("b.weight")));
    // Mixed: "a" (masked) through score + select, "b" fused; masks never regrow on "a".
    MaskSet m = Pruning.computeMasks(g, PruningSpec.of("magnitude", 0.5, Scope.ROW), ScoringInputs.none());
    float[] a = m.mask("a.weight").data();
    for (int i = 0; i < a.length; i++) {
      assertTrue(before[i] == 1f || a[i] == 0f, "regrew at " + i);
    }
    float[] bScores = new float[8 * in];
    float[] bw = g.parameter("b.weight").value().data();
    for (int i = 0; i < bScores.length; i++) {
      bScores[i] = Math.abs(bw[i]);
    }
    assertArrayEquals(MaskSelector.rowMask(Tensor.of(bScores, 8, in), 0.5, ThresholdMode.EXACT).data(),
        m.mask("b.weight").data());
    assertArrayEquals(List.of("a.weight", "b.weight").toArray(), m.names().toArray());
  }
}
