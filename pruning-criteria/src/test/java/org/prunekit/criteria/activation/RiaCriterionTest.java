package org.prunekit.criteria.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Criteria;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringContext;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.TestGraphs;
import org.prunekit.criteria.ThresholdMode;

/** Spec B3 with hand-computed values and invariants. */
class RiaCriterionTest {
  private static final float[] W = {1, -2, 3, 0.5f};
  /** x1 = [1, 0], x2 = [1, 2]. */
  private static final double[] NORMS_SQ = {2, 4};

  private static Tensor score(RiaCriterion c, float[] w, int out, int in, double[] sq) {
    return c.score(ScoringContext.builder().setParameterName("fc.weight").setWeight(Tensor.of(w, out, in))
        .optInputColumnSquaredNorms(sq).build());
  }

  private static float[] mask(PruningSpec spec, float[] w, int out, int in, double[] sq) {
    Graph g = TestGraphs.linear(w, out, in);
    Pruning.prune(g, spec, ScoringInputs.ofNorms(Map.of("fc.weight", sq)));
    return TestGraphs.mask(g, "fc.weight");
  }

  @Test
  void registeredWithDefaultExponentAndPerLayerScope() {
    RiaCriterion c = assertInstanceOf(RiaCriterion.class, Criteria.byName("ria"));
    assertEquals(0.5, c.exponent());
    assertEquals(Scope.LAYER, PruningSpec.of("ria", 0.5).scope());
    for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RiaCriterion(bad));
      assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
    }
  }

  @Test
  void specTest1HandValues() {
    // RI = [[1/4 + 1/3, 2/2.5 + 2/3], [3/4 + 3/3.5, 0.5/2.5 + 0.5/3.5]]
    double[] ri = RiaCriterion.relativeImportance(Tensor.of(W, 2, 2));
    assertArrayEquals(new double[] {0.5833, 1.4667, 1.6071, 0.3429}, ri, 1e-4);
    assertArrayEquals(new double[] {7.0 / 12, 22.0 / 15, 45.0 / 28, 12.0 / 35}, ri, 1e-12);
    Tensor s = score(new RiaCriterion(), W, 2, 2, NORMS_SQ);
    assertArrayEquals(new float[] {0.6937f, 2.0742f, 1.9112f, 0.4849f}, s.data(), 1e-4f);

    // exact 50 % per layer prunes W_11 and W_00
    assertArrayEquals(new float[] {0, 1, 1, 0}, mask(PruningSpec.of("ria", 0.5), W, 2, 2, NORMS_SQ));
    // the reference's <= threshold at sorted index floor(0.5*4) = 2 also prunes W_10
    PruningSpec ref = PruningSpec.builder().setCriterion("ria").setSparsity(0.5)
        .optThresholdMode(ThresholdMode.REFERENCE).build();
    assertArrayEquals(new float[] {0, 1, 0, 0}, mask(ref, W, 2, 2, NORMS_SQ));
    // per output row (--per_outneuron): one of each row
    assertArrayEquals(new float[] {0, 1, 1, 0}, mask(PruningSpec.of("ria", 0.5, Scope.ROW), W, 2, 2, NORMS_SQ));
  }

  @Test
  void perLayerAndPerRowDiffer() {
    // one row holds all the large weights: per layer prunes the other row entirely, per row cannot.
    // column sums [10.1, 9.2, 8.3, 7.4], row sums [34, 1]:
    // RI row 0 = [1.284, 1.243, 1.199, 1.152], row 1 = [0.110, 0.222, 0.336, 0.454]
    float[] w = {10, 9, 8, 7, 0.1f, 0.2f, 0.3f, 0.4f};
    double[] sq = {1, 1, 1, 1};
    assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0}, mask(PruningSpec.of("ria", 0.5), w, 2, 4, sq));
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 1, 1}, mask(PruningSpec.of("ria", 0.5, Scope.ROW), w, 2, 4, sq));
  }

  @Test
  void scaleFreeUnlikeWanda() {
    SplittableRandom rng = new SplittableRandom(9);
    float[] w = new float[5 * 8];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    double[] sq = new double[8];
    for (int j = 0; j < 8; j++) {
      sq[j] = 0.5 + rng.nextDouble() * 10;
    }
    float[] scaled = w.clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= -7.3f;
    }
    Tensor ria = score(new RiaCriterion(), w, 5, 8, sq);
    Tensor riaScaled = score(new RiaCriterion(), scaled, 5, 8, sq);
    assertArrayEquals(ria.data(), riaScaled.data(), 1e-6f);
    assertArrayEquals(RiaCriterion.relativeImportance(Tensor.of(w, 5, 8)),
        RiaCriterion.relativeImportance(Tensor.of(scaled, 5, 8)), 1e-6);
    assertArrayEquals(mask(PruningSpec.of("ria", 0.6), w, 5, 8, sq), mask(PruningSpec.of("ria", 0.6), scaled, 5, 8, sq));
    // Wanda's scores scale with the weights
    Tensor wanda = new WandaCriterion().score(ScoringContext.builder().setParameterName("p")
        .setWeight(Tensor.of(w, 5, 8)).optInputColumnSquaredNorms(sq).build());
    Tensor wandaScaled = new WandaCriterion().score(ScoringContext.builder().setParameterName("p")
        .setWeight(Tensor.of(scaled, 5, 8)).optInputColumnSquaredNorms(sq).build());
    assertEquals(7.3f * wanda.data()[0], wandaScaled.data()[0], 1e-5f);
  }

  @Test
  void exponentControlsTheActivationTerm() {
    // a = 0: pure relative importance, activations ignored
    Tensor a0 = score(new RiaCriterion(0), W, 2, 2, new double[] {2, 1e6});
    assertArrayEquals(new float[] {7f / 12, 22f / 15, 45f / 28, 12f / 35}, a0.data(), 1e-6f);
    // a = 1: RI * ||X_j|| = RI * [sqrt 2, 2]
    Tensor a1 = score(new RiaCriterion(1), W, 2, 2, NORMS_SQ);
    double r2 = Math.sqrt(2);
    assertArrayEquals(new float[] {(float) (7.0 / 12 * r2), (float) (22.0 / 15 * 2), (float) (45.0 / 28 * r2),
        (float) (12.0 / 35 * 2)}, a1.data(), 1e-6f);
  }

  @Test
  void zeroColumnsAndRowsScoreZeroNotNaN() {
    float[] w = {0, 1, 0, 0}; // column 0 and row 1 are all zero
    Tensor s = score(new RiaCriterion(), w, 2, 2, new double[] {1, 1});
    assertArrayEquals(new float[] {0, 2, 0, 0}, s.data()); // 1/1 (column) + 1/1 (row)
    assertFalse(Float.isNaN(s.data()[0]));
  }

  @Test
  void badStatisticsAreRejected() {
    Graph g = TestGraphs.linear(W, 2, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pruning.prune(g,
        PruningSpec.of("ria", 0.5), ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {1}))));
    assertTrue(e.getMessage().contains("'fc.weight'") && e.getMessage().contains("1 entries")
        && e.getMessage().contains("2 columns"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Pruning.prune(g, PruningSpec.of("ria", 0.5),
        ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {0, 0}))));
    assertTrue(e.getMessage().contains("'ria'") && e.getMessage().contains("zero"), e.getMessage());
    assertFalse(g.parameter("fc.weight").hasMask());
    assertArrayEquals(W, g.parameter("fc.weight").value().data());
  }
}
