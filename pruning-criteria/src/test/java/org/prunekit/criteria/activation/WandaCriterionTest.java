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
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Criteria;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringContext;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.TestGraphs;
import org.prunekit.criteria.select.MaskSelector;

/** Spec B2 with hand-computed values, invariants and bad input. */
class WandaCriterionTest {
  private static final float[] W = {1, -2, 3, 0.5f};

  private static void assertMessage(IllegalArgumentException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  private static float[] wandaMask(float[] w, int out, int in, double[] normsSq, double sparsity) {
    Graph g = TestGraphs.linear(w, out, in);
    Pruning.prune(g, PruningSpec.of("wanda", sparsity), ScoringInputs.ofNorms(Map.of("fc.weight", normsSq)));
    return TestGraphs.mask(g, "fc.weight");
  }

  @Test
  void registeredByShortNameAndComparesWithinRowsByDefault() {
    assertInstanceOf(WandaCriterion.class, Criteria.byName("wanda"));
    assertEquals(Scope.ROW, PruningSpec.of("wanda", 0.5).scope());
    assertEquals(Scope.LAYER, PruningSpec.of("wanda", 0.5, Scope.LAYER).scope());
  }

  @Test
  void specTest1ActivationsChangeWhichWeightIsPruned() {
    // x1 = [1, 0], x2 = [1, 2]: column norms [sqrt 2, 2], scores [[1.4142, 4], [4.2426, 1]]
    double[] sq = InputNorms.fromActivations("fc", Tensor.of(new float[] {1, 0, 1, 2}, 2, 2));
    assertArrayEquals(new double[] {2, 4}, sq);
    Tensor s = new WandaCriterion().score(ScoringContext.builder().setParameterName("fc.weight")
        .setWeight(Tensor.of(W, 2, 2)).optInputColumnSquaredNorms(sq).build());
    assertArrayEquals(new float[] {1.4142135f, 4f, 4.2426405f, 1f}, s.data(), 1e-6f);
    assertArrayEquals(new float[] {0, 1, 1, 0}, wandaMask(W, 2, 2, sq, 0.5)); // prunes W_00, W_11

    // x2 = [1, 0.1]: norms [1.414, 0.1], scores [[1.414, 0.2], [4.243, 0.05]]: now W_01 and W_11 go
    double[] sq2 = InputNorms.fromActivations("fc", Tensor.of(new float[] {1, 0, 1, 0.1f}, 2, 2));
    assertEquals(2.0, sq2[0]);
    assertEquals(0.01, sq2[1], 1e-8);
    Tensor s2 = new WandaCriterion().score(ScoringContext.builder().setParameterName("fc.weight")
        .setWeight(Tensor.of(W, 2, 2)).optInputColumnSquaredNorms(sq2).build());
    assertArrayEquals(new float[] {1.4142135f, 0.2f, 4.2426405f, 0.05f}, s2.data(), 1e-6f);
    assertArrayEquals(new float[] {1, 0, 1, 0}, wandaMask(W, 2, 2, sq2, 0.5));
    // magnitude still picks W_00
    Graph m = TestGraphs.linear(W, 2, 2);
    Pruning.prune(m, PruningSpec.of("magnitude", 0.5, Scope.ROW));
    assertArrayEquals(new float[] {0, 1, 1, 0}, TestGraphs.mask(m, "fc.weight"));
  }

  private static float[] randomWeights(SplittableRandom rng, int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    return w;
  }

  private static float[] randomActivations(SplittableRandom rng, int tokens, int in) {
    float[] x = new float[tokens * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextGaussian() * (1 + i % in)); // columns of different scale
    }
    return x;
  }

  @Test
  void specTest2Invariants() {
    SplittableRandom rng = new SplittableRandom(42);
    int out = 6;
    int in = 10;
    int tokens = 12;
    float[] w = randomWeights(rng, out * in);
    float[] x = randomActivations(rng, tokens, in);
    double[] sq = InputNorms.fromActivations("fc", Tensor.of(x, tokens, in));

    // each row has exactly floor(s * in) zeros
    for (double s : new double[] {0.0, 0.3, 0.5, 0.77, 0.95}) {
      float[] m = wandaMask(w, out, in, sq, s);
      for (int r = 0; r < out; r++) {
        int zeros = 0;
        for (int j = 0; j < in; j++) {
          zeros += m[r * in + j] == 0f ? 1 : 0;
        }
        assertEquals(MaskSelector.prunedCount(in, s), zeros, "row " + r + " at s=" + s);
      }
    }

    float[] base = wandaMask(w, out, in, sq, 0.5);
    // scaling all activations by a constant leaves the mask unchanged
    for (float c : new float[] {3f, 0.01f, 250f}) {
      float[] xc = x.clone();
      for (int i = 0; i < xc.length; i++) {
        xc[i] *= c;
      }
      assertArrayEquals(base, wandaMask(w, out, in, InputNorms.fromActivations("fc", Tensor.of(xc, tokens, in)), 0.5),
          "activations x " + c);
    }

    // scaling input column j's activations by c equals scaling weight column j by c
    int j = 3;
    for (float c : new float[] {4f, 3f, 0.2f}) {
      float[] xc = x.clone();
      for (int t = 0; t < tokens; t++) {
        xc[t * in + j] *= c;
      }
      float[] wc = w.clone();
      for (int r = 0; r < out; r++) {
        wc[r * in + j] *= c;
      }
      float[] viaActivations = wandaMask(w, out, in, InputNorms.fromActivations("fc", Tensor.of(xc, tokens, in)), 0.5);
      float[] viaWeights = wandaMask(wc, out, in, sq, 0.5);
      assertArrayEquals(viaWeights, viaActivations, "column " + j + " x " + c);
      if (c == 3f) {
        assertFalse(java.util.Arrays.equals(base, viaActivations), "the scaled column must matter for this test");
      }
    }
  }

  @Test
  void badStatisticsAreRejectedAndNothingChanges() {
    Graph g = TestGraphs.linear(W, 2, 2);
    PruningSpec spec = PruningSpec.of("wanda", 0.5);
    // width mismatch: names the parameter and both widths
    assertMessage(assertThrows(IllegalArgumentException.class, () -> Pruning.prune(g, spec,
        ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {1, 2, 3})))), "'fc.weight'", "3 entries", "2 columns");
    // NaN / Inf statistics
    assertMessage(assertThrows(IllegalArgumentException.class, () -> Pruning.prune(g, spec,
        ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {1, Double.NaN})))), "'fc.weight'", "NaN");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> Pruning.prune(g, spec,
        ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {Double.POSITIVE_INFINITY, 1})))), "Infinity");
    // empty calibration shows up as all-zero norms
    assertMessage(assertThrows(IllegalArgumentException.class, () -> Pruning.prune(g, spec,
        ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {0, 0})))), "'wanda'", "'fc.weight'", "zero");
    // missing statistics
    assertMessage(assertThrows(IllegalArgumentException.class, () -> Pruning.prune(g, spec)), "'wanda'",
        "'fc.weight'");
    assertFalse(g.parameter("fc.weight").hasMask());
    assertArrayEquals(W, g.parameter("fc.weight").value().data());
    // non-finite weights
    Graph nan = TestGraphs.linear(new float[] {1, Float.NaN, 3, 0.5f}, 2, 2);
    assertMessage(assertThrows(IllegalArgumentException.class, () -> Pruning.prune(nan, spec,
        ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {1, 2})))), "'fc.weight'", "NaN", "[0, 1]");
    assertFalse(nan.parameter("fc.weight").hasMask());
  }

  @Test
  void badActivationsAreRejectedByInputNorms() {
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> InputNorms.fromActivations("blk0.q", Tensor.zeros(new Shape(0, 4)))), "empty calibration", "'blk0.q'",
        "0 tokens");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> InputNorms.fromActivations("blk0.q", Tensor.of(new float[] {1, Float.NaN, 2, 3}, 2, 2))), "'blk0.q'",
        "NaN", "index 1");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> InputNorms.fromActivations("blk0.q", Tensor.of(new float[] {1, 2, Float.NEGATIVE_INFINITY, 3}, 2, 2))),
        "-Infinity", "index 2");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> InputNorms.fromSumSquares("blk0.q", new double[] {1, 2}, 0)), "empty calibration", "'blk0.q'");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> InputNorms.fromSumSquares("blk0.q", new double[] {1, -2}, 5)), "column norm 1", "-2.0");
    double[] ok = {1, 2};
    double[] copy = InputNorms.fromSumSquares("blk0.q", ok, 5);
    assertArrayEquals(ok, copy);
    // rank-3 activations [batch, seq, in]: tokens are batch x seq
    assertArrayEquals(new double[] {1 + 9 + 25 + 49, 4 + 16 + 36 + 64},
        InputNorms.fromActivations("l", Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2)));
  }

  @Test
  void convChannelsAreRepeatedOverTheirKernelElements() {
    Shape conv = new Shape(2, 3, 1, 2); // [C_out, C_in, kH, kW]: 6 columns, K = 2
    assertArrayEquals(new double[] {1, 1, 4, 4, 9, 9},
        InputNorms.expandChannels("conv.weight", new double[] {1, 4, 9}, conv));
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> InputNorms.expandChannels("conv.weight", new double[] {1, 4}, conv)), "'conv.weight'", "2 entries",
        "3 input channels");
    float[] w = {1, -1, 2, 2, -1, 1, 0.5f, 3, 1, 1, 1, -2};
    Tensor s = new WandaCriterion().score(ScoringContext.builder().setParameterName("conv.weight")
        .setWeight(Tensor.of(w, 2, 3, 1, 2))
        .optInputColumnSquaredNorms(InputNorms.expandChannels("conv", new double[] {1, 4, 9}, conv)).build());
    assertArrayEquals(new float[] {1, 1, 4, 4, 3, 3, 0.5f, 3, 2, 2, 3, 6}, s.data(), 1e-6f);
  }
}
