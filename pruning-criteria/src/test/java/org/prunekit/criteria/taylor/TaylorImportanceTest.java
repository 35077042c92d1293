package org.prunekit.criteria.taylor;

import org.junit.jupiter.api.extension.ExtendWith;
import org.prunekit.criteria.OneDnnOff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Criteria;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.TestGraphs;

/** Spec B5 (Taylor) and 3.3 (AGF) with hand-computed values. */
@ExtendWith(OneDnnOff.class)
class TaylorImportanceTest {
  // [N=2, C=2, S=2]; per-sample <A_c, G_c>: sample 0 = [1*0.5 + 2*1, 0*1 + 3*0] = [2.5, 0],
  // sample 1 = [-1*1 + 1*(-1), 2*0.5 + 2*0.5] = [-2, 2]
  static final Tensor A = Tensor.of(new float[] {1, 2, 0, 3, -1, 1, 2, 2}, 2, 2, 2);
  static final Tensor G = Tensor.of(new float[] {0.5f, 1, 1, 0, 1, -1, 0.5f, 0.5f}, 2, 2, 2);

  static void assertMessage(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void channelHandValues() {
    double[][] per = FeatureTaylor.perSampleInnerProducts("conv", A, G, UnitLayout.channels());
    assertArrayEquals(new double[] {2.5, 0}, per[0], 1e-12);
    assertArrayEquals(new double[] {-2, 2}, per[1], 1e-12);
    // Taylor-FO gate: (sum over the batch)^2 = [0.5^2, 2^2]
    assertArrayEquals(new double[] {0.25, 4}, TaylorImportance.batchScores("conv", A, G, UnitLayout.channels()),
        1e-12);
    // AGF: mean over samples of |.|: [(2.5 + 2)/2, (0 + 2)/2]; with a batch-mean loss the gradients are x B = 2
    AgfUtility sum = new AgfUtility("conv", UnitLayout.channels(), AgfUtility.LossReduction.SUM);
    sum.add(A, G);
    assertArrayEquals(new double[] {2.25, 1}, sum.utilities(), 1e-12);
    AgfUtility mean = new AgfUtility("conv", UnitLayout.channels());
    mean.add(A, G);
    assertArrayEquals(new double[] {4.5, 2}, mean.utilities(), 1e-12);
    assertEquals(2, mean.samples());
  }

  @Test
  void neuronAndHeadHandValues() {
    // [N=1, T=2, F=4], products a*g = [1, 0, -3, 4 | 2.5, 3, 0, -8]
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 4);
    Tensor g = Tensor.of(new float[] {1, 0, -1, 1, 0.5f, 0.5f, 0, -1}, 1, 2, 4);
    assertArrayEquals(new double[] {3.5, 3, -3, -4},
        FeatureTaylor.perSampleInnerProducts("mlp", a, g, UnitLayout.neurons())[0], 1e-12);
    // heads of 2 dims: h0 = 3.5 + 3, h1 = -3 - 4
    assertArrayEquals(new double[] {6.5, -7},
        FeatureTaylor.perSampleInnerProducts("attn", a, g, UnitLayout.heads(2, 2))[0], 1e-12);
    assertArrayEquals(new double[] {42.25, 49}, TaylorImportance.batchScores("attn", a, g, UnitLayout.heads(2, 2)),
        1e-12);
    // the same numbers read off an output projection O [1, 4] with gradient dL/dO
    assertArrayEquals(new double[] {6.5, -7}, FeatureTaylor.headInnerProductsFromOutputProjection("attn",
        Tensor.of(new float[] {1, 2, 3, 4}, 1, 4), Tensor.of(new float[] {6.5f, 0, -1, -1}, 1, 4), 2, 2), 1e-12);
  }

  @Test
  void averagedOverBatchesAndResettable() {
    TaylorImportance t = new TaylorImportance("fc", UnitLayout.neurons());
    t.addGateGradients(new double[] {1, 2});
    t.addGateGradients(new double[] {3, 0});
    assertArrayEquals(new double[] {5, 2}, t.scores(), 1e-12); // [(1 + 9)/2, (4 + 0)/2]
    assertEquals(2, t.batches());
    t.reset();
    assertMessage(assertThrows(IllegalArgumentException.class, t::scores), "empty calibration", "'fc'");
  }

  @Test
  void specB5ZeroGradientScoresZeroAndIsPrunedFirstAndSignDoesNotMatter() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor g = Tensor.of(new float[] {0.1f, 0, -0.2f, 0.3f, 0, 0.1f}, 2, 3);
    double[] s = TaylorImportance.batchScores("fc", a, g, UnitLayout.neurons());
    assertEquals(0, s[1]);
    Map<String, boolean[]> keep = UnitSelection.perLayer(Map.of("fc", s), 0.34);
    assertArrayEquals(new boolean[] {true, false, true}, keep.get("fc"));
    Tensor neg = Tensor.of(new float[] {-0.1f, 0, 0.2f, -0.3f, 0, -0.1f}, 2, 3);
    assertArrayEquals(s, TaylorImportance.batchScores("fc", a, neg, UnitLayout.neurons()), 0);
    AgfUtility u1 = new AgfUtility("fc", UnitLayout.neurons());
    AgfUtility u2 = new AgfUtility("fc", UnitLayout.neurons());
    u1.add(a, g);
    u2.add(a, neg);
    assertArrayEquals(u1.utilities(), u2.utilities(), 0);
  }

  @Test
  void agfCancellationAndZeroTests() {
    // spec 3.3 test (2): samples with <A,G> = +1 and -1
    Tensor a = Tensor.of(new float[] {1, 0, 1, 5}, 2, 2);
    Tensor g = Tensor.of(new float[] {1, 7, -1, 0}, 2, 2);
    AgfUtility u = new AgfUtility("fc", UnitLayout.neurons(), AgfUtility.LossReduction.SUM);
    u.add(a, g);
    // unit 0: |+1| and |-1| -> 1; unit 1: zero activation in sample 0, zero gradient in sample 1 -> 0 (test 1)
    assertArrayEquals(new double[] {1, 0}, u.utilities(), 0);
    // Molchanov 2019 (squared batch sum) and 2017 (|mean|) both cancel to 0
    assertArrayEquals(new double[] {0, 0}, TaylorImportance.batchScores("fc", a, g, UnitLayout.neurons()), 0);
  }

  @Test
  void momentumNormalisationAndWeightVariant() {
    assertArrayEquals(new double[] {1.2, 2.2}, TaylorImportance.momentum(new double[] {1, 2}, new double[] {3, 4},
        0.9), 1e-12);
    assertArrayEquals(new double[] {3, 4}, TaylorImportance.momentum(null, new double[] {3, 4}, 0.9), 0);
    assertThrows(IllegalArgumentException.class, () -> TaylorImportance.momentum(null, new double[] {1}, 1.5));
    assertArrayEquals(new double[] {0.6, 0.8}, TaylorImportance.l2Normalized(new double[] {3, 4}), 1e-8);
    // rows sum (w g)^2: [1*0.5, 2*1] -> 0.25 + 4; [3*0, -1*2] -> 0 + 4
    assertArrayEquals(new double[] {4.25, 4}, TaylorImportance.weightRowScores("fc.weight",
        Tensor.of(new float[] {1, 2, 3, -1}, 2, 2), Tensor.of(new float[] {0.5f, 1, 0, 2}, 2, 2)), 1e-12);
  }

  @Test
  void unitSelectionPerLayerAndGlobal() {
    assertArrayEquals(new boolean[] {true, false, true, false},
        UnitSelection.perLayer(Map.of("a", new double[] {3, 1, 2, 0.5}), 0.5).get("a"));
    assertArrayEquals(new boolean[] {true}, UnitSelection.perLayer(Map.of("b", new double[] {1}), 0.9).get("b"));
    Map<String, double[]> two = new java.util.LinkedHashMap<>();
    two.put("a", new double[] {1, 2, 3});
    two.put("b", new double[] {10, 20, 30});
    // global, 3 of 6: all of 'a' would go, but every layer keeps one -> a loses 1 and 2, b loses 10
    Map<String, boolean[]> g = UnitSelection.global(two, 0.5, false);
    assertArrayEquals(new boolean[] {false, false, true}, g.get("a"));
    assertArrayEquals(new boolean[] {false, true, true}, g.get("b"));
    // divided by layer means (2 and 20) both become [0.5, 1, 1.5]: ties prune the earlier layer first
    Map<String, boolean[]> n = UnitSelection.global(two, 0.5, true);
    assertArrayEquals(new boolean[] {false, false, true}, n.get("a"));
    assertArrayEquals(new boolean[] {false, true, true}, n.get("b"));
    assertArrayEquals(new boolean[] {true, false, true}, UnitSelection.globalCount(Map.of("a",
        new double[] {3, 0, 5}), 1, false).get("a"));
    assertMessage(assertThrows(IllegalArgumentException.class, () -> UnitSelection.globalCount(two, 5, false)),
        "cannot prune 5 of 6");
    assertThrows(IllegalArgumentException.class, () -> UnitSelection.perLayer(two, 1.0));
    assertMessage(assertThrows(IllegalArgumentException.class, () -> UnitSelection.perLayer(Map.of("c",
        new double[] {1, Double.NaN}), 0.5)), "'c'", "NaN");
  }

  @Test
  void badInputIsRejectedAndNothingIsAdded() {
    TaylorImportance t = new TaylorImportance("conv", UnitLayout.channels());
    t.add(A, G);
    AgfUtility u = new AgfUtility("conv", UnitLayout.channels());
    u.add(A, G);
    assertMessage(assertThrows(IllegalArgumentException.class, () -> t.add(A, Tensor.of(new float[8], 2, 4))),
        "'conv'", "[2, 2, 2]", "[2, 4]");
    float[] nan = G.data().clone();
    nan[5] = Float.NaN;
    assertMessage(assertThrows(IllegalArgumentException.class, () -> u.add(A, Tensor.of(nan, 2, 2, 2))),
        "gradient of 'conv'", "NaN", "index 5");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> t.add(Tensor.of(new float[0], 0, 2),
        Tensor.of(new float[0], 0, 2))), "empty calibration batch", "'conv'");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> t.add(Tensor.of(new float[6], 1, 6),
        Tensor.of(new float[6], 1, 6))), "'conv'", "2 units", "6");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> FeatureTaylor.perSampleInnerProducts("attn",
        Tensor.of(new float[6], 1, 6), Tensor.of(new float[6], 1, 6), UnitLayout.heads(4, 2))), "'attn'",
        "4 heads x 2 dims");
    assertThrows(IllegalArgumentException.class, () -> UnitLayout.heads(0, 2));
    assertEquals(1, t.batches());
    assertEquals(2, u.samples());
    assertArrayEquals(new double[] {0.25, 4}, t.scores(), 1e-12);
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> new AgfUtility("x", UnitLayout.neurons()).utilities()), "empty calibration", "'x'");
  }

  @Test
  void elementCriterionIsRegisteredWithHandValues() {
    assertInstanceOf(TaylorCriterion.class, Criteria.byName("taylor"));
    Graph g = TestGraphs.linear(new float[] {1, -2, 3, 0.5f}, 2, 2);
    Tensor grad = Tensor.of(new float[] {2, 0.1f, 0, 1}, 2, 2); // (w g)^2 = [4, 0.04, 0, 0.25]
    Pruning.prune(g, PruningSpec.of("taylor", 0.5), new ScoringInputs(Map.of(), Map.of("fc.weight", grad)));
    assertArrayEquals(new float[] {1, 0, 0, 1}, TestGraphs.mask(g, "fc.weight"));
    Graph g2 = TestGraphs.linear(new float[] {1, -2, 3, 0.5f}, 2, 2);
    assertMessage(assertThrows(IllegalArgumentException.class, () -> Pruning.prune(g2, PruningSpec.of("taylor",
        0.5))), "gradient", "fc.weight");
  }
}
