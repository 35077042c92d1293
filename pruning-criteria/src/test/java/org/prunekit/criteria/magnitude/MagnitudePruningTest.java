package org.prunekit.criteria.magnitude;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.mask.Masks;
import org.prunekit.core.mask.SparsityReport;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ThresholdMode;
import org.prunekit.criteria.select.MaskSelector;

/** Spec B1 with hand-computed values. */
class MagnitudePruningTest {

  /** One linear layer "fc" (no bias) with the given weight {@code [out, in]}. */
  private static Graph linear(float[] w, int out, int in) {
    return GraphBuilder.create(0).input("x", in)
        .node("fc", new Linear(in, out, false), Map.of("weight", Tensor.of(w, out, in)), "x").build();
  }

  /** Two linear layers "a" and "b" reading the same input, weights {@code [1, 3]}. */
  private static Graph twoLayers(float[] a, float[] b) {
    return GraphBuilder.create(0).input("x", 3)
        .node("a", new Linear(3, 1, false), Map.of("weight", Tensor.of(a, 1, 3)), "x").output()
        .node("b", new Linear(3, 1, false), Map.of("weight", Tensor.of(b, 1, 3)), "x").output()
        .build();
  }

  private static float[] weight(Graph g, String name) {
    return g.parameter(name).value().data();
  }

  private static float[] mask(Graph g, String name) {
    return g.parameter(name).mask().data();
  }

  @Test
  void b1a_fourByFourAtHalfLeavesExactlyEightZerosAndKeepsTheLargest() {
    float[] w = {0.3f, -1.2f, 2.5f, -0.05f, 0.9f, -0.7f, 1.1f, 0.2f,
                 -3.0f, 0.6f, -0.4f, 1.8f, 0.15f, -2.2f, 0.8f, -0.1f};
    Graph g = linear(w.clone(), 4, 4);
    PruningResult r = Pruning.prune(g, PruningSpec.of("magnitude", 0.5));

    float[] after = weight(g, "fc.weight");
    assertEquals(8, g.parameter("fc.weight").value().countZeros());
    float maxPruned = 0;
    float minKept = Float.MAX_VALUE;
    for (int i = 0; i < w.length; i++) {
      if (after[i] == 0f) {
        maxPruned = Math.max(maxPruned, Math.abs(w[i]));
      } else {
        assertEquals(w[i], after[i], "kept weights are unchanged");
        minKept = Math.min(minKept, Math.abs(w[i]));
      }
    }
    assertTrue(minKept >= maxPruned, minKept + " < " + maxPruned);
    // by hand: the 8 smallest |w| are 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 0.7
    assertArrayEquals(new float[] {0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0}, mask(g, "fc.weight"));
    assertEquals(8, r.report().maskedZeros());
    assertEquals(0.5, r.report().sparsity(), 1e-12);
  }

  @Test
  void b1b_globalPrunesTheWholeSmallTensorLayerWisePrunesOneOfEach() {
    Graph global = twoLayers(new float[] {1, 2, 3}, new float[] {10, 20, 30});
    Pruning.prune(global, PruningSpec.of("magnitude", 0.5, Scope.GLOBAL));
    assertArrayEquals(new float[] {0, 0, 0}, weight(global, "a.weight"));
    assertArrayEquals(new float[] {10, 20, 30}, weight(global, "b.weight"));

    Graph layer = twoLayers(new float[] {1, 2, 3}, new float[] {10, 20, 30});
    PruningResult r = Pruning.prune(layer, PruningSpec.of("magnitude", 0.5, Scope.LAYER));
    assertArrayEquals(new float[] {0, 2, 3}, weight(layer, "a.weight"));
    assertArrayEquals(new float[] {0, 20, 30}, weight(layer, "b.weight"));
    assertEquals(1, r.report().entry("a.weight").maskedZeros());
    assertEquals(1, r.report().entry("b.weight").maskedZeros());
  }

  @Test
  void b1c_structuredL1AndL2RankRowsDifferently() {
    Tensor w = Tensor.of(new float[] {3, 0, 0, 2, 2, 0}, 2, 3);
    double[] l1 = RowNorms.l1(w);
    double[] l2 = RowNorms.l2(w);
    assertArrayEquals(new double[] {3, 4}, l1, 1e-12);
    assertArrayEquals(new double[] {3, Math.sqrt(8)}, l2, 1e-12); // 2.828...
    // L1 ranks row 2 higher, so row 1 ([3,0,0]) is the one pruned at 50 %; L2 the other way round.
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1}, MaskSelector.structuredRowMask(w.shape(), l1, 0.5).data());
    assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0}, MaskSelector.structuredRowMask(w.shape(), l2, 0.5).data());
  }

  @Test
  void tiesPruneLowerIndicesFirst() {
    Graph g = linear(new float[] {1, 1, 1, 1}, 1, 4);
    Pruning.prune(g, PruningSpec.of("magnitude", 0.5));
    assertArrayEquals(new float[] {0, 0, 1, 1}, mask(g, "fc.weight"));

    Graph neg = linear(new float[] {-1, 1, -1, 1}, 1, 4); // |w| ties across signs too
    Pruning.prune(neg, PruningSpec.of("magnitude", 0.75, Scope.ROW));
    assertArrayEquals(new float[] {0, 0, 0, 1}, mask(neg, "fc.weight"));
  }

  @Test
  void perRowOnAConvWeightPrunesHalfOfEveryOutputChannel() {
    // conv 2 -> 2 channels, 2x2 kernel: weight [2, 2, 2, 2] seen as two rows of 8
    float[] w = {8, -7, 6, -5, 4, -3.5f, 3.25f, -3.1f,
                 3, 1, 3, 1, 3, 1, 3, 1};
    Graph g = convGraph(w);
    PruningResult r = Pruning.prune(g, PruningSpec.of("magnitude", 0.5, Scope.ROW));
    assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0}, mask(g, "c.weight"));
    assertFalse(g.parameter("c.bias").hasMask(), "biases are not targets");
    assertEquals(0, r.report().entry("c.weight").emptyRows());

    // layer-wise instead: the 8 smallest are all in channel 1, which is emptied (allowed, reported)
    Graph lg = convGraph(w);
    PruningResult lr = Pruning.prune(lg, PruningSpec.of("magnitude", 0.5, Scope.LAYER));
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, mask(lg, "c.weight"));
    assertEquals(1, lr.report().entry("c.weight").emptyRows());
    assertTrue(lr.report().toString().contains("1/2 rows empty"), lr.report().toString());
  }

  private static Graph convGraph(float[] w) {
    Conv conv = Conv.simple(2, 2, 2, 2, 0);
    return GraphBuilder.create(0).input("img", 2, 4, 4)
        .node("c", conv, Map.of("weight", new Tensor(new Shape(2, 2, 2, 2), w.clone()),
            "bias", Tensor.of(new float[] {0.5f, -0.5f}, 2)), "img")
        .build();
  }

  @Test
  void referenceThresholdModePrunesKPlusOneOnTheSpecExample() {
    // spec B3 hand example scores, used directly as weights: exact 50 % prunes W_11 and W_00;
    // the references' "<= sorted[floor(0.5*4)]" also prunes W_10.
    float[] s = {0.6937f, 2.0742f, 1.9112f, 0.4849f};
    Graph exact = linear(s.clone(), 2, 2);
    Pruning.prune(exact, PruningSpec.of("magnitude", 0.5));
    assertArrayEquals(new float[] {0, 1, 1, 0}, mask(exact, "fc.weight"));

    Graph ref = linear(s.clone(), 2, 2);
    PruningResult r = Pruning.prune(ref, PruningSpec.builder().setCriterion("magnitude").setSparsity(0.5)
        .optThresholdMode(ThresholdMode.REFERENCE).build());
    assertArrayEquals(new float[] {0, 1, 0, 0}, mask(ref, "fc.weight"));
    assertEquals(3, r.report().maskedZeros());
  }

  @Test
  void invalidSparsityIsRejectedNamingTheValue() {
    for (double bad : new double[] {-0.1, 1.0, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PruningSpec.of("magnitude", bad), "sparsity " + bad);
      assertTrue(e.getMessage().contains("got " + bad), e.getMessage());
    }
  }

  @Test
  void nanWeightIsRejectedNamingParameterAndIndexAndGraphIsUnchanged() {
    Graph g = twoLayers(new float[] {1, 2, 3}, new float[] {10, Float.NaN, 30});
    Graph before = g.copy();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pruning.prune(g, PruningSpec.of("magnitude", 0.5, Scope.GLOBAL)));
    assertTrue(e.getMessage().contains("'b.weight'") && e.getMessage().contains("index 1 [0, 1]"), e.getMessage());
    for (Parameter p : g.parameters()) {
      assertFalse(p.hasMask(), p.qualifiedName() + " got a mask");
      assertTrue(p.value().bitEquals(before.parameter(p.qualifiedName()).value()), p.qualifiedName() + " changed");
    }
  }

  @Test
  void applyThenBakeKeepsZerosAndDropsMasks() {
    Graph g = twoLayers(new float[] {1, -2, 3}, new float[] {-10, 20, -30});
    PruningResult r = Pruning.prune(g, PruningSpec.of("magnitude", 0.5, Scope.GLOBAL));
    assertEquals(MaskSet.attachedTo(g), r.masks());
    weight(g, "a.weight")[1] = 5f; // an optimizer step regrows a pruned weight ...
    MaskSet baked = Masks.bake(g);
    assertEquals(r.masks(), baked);
    assertNull(g.parameter("a.weight").mask());
    assertArrayEquals(new float[] {0, 0, 0}, weight(g, "a.weight")); // ... baking zeroes it again
    assertArrayEquals(new float[] {-10, 20, -30}, weight(g, "b.weight"));
    SparsityReport after = SparsityReport.of(g);
    assertEquals(3, after.actualZeros());
    assertEquals(0, after.maskedZeros());
  }

  @Test
  void repruningNeverRegrowsMaskedWeights() {
    float[] w = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};
    Graph g = linear(w.clone(), 1, 8);
    Pruning.prune(g, PruningSpec.of("magnitude", 0.5));
    weight(g, "fc.weight")[0] = 9f; // regrown, mask still says pruned
    Pruning.prune(g, PruningSpec.of("magnitude", 0.25));
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, mask(g, "fc.weight"));
    Pruning.prune(g, PruningSpec.of("magnitude", 0.75));
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 1, 1}, mask(g, "fc.weight"));
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0.7f, 0.8f}, weight(g, "fc.weight"));
  }

  @Test
  void magnitudeScoresAreAbsoluteValues() {
    Tensor s = new MagnitudeCriterion().score(org.prunekit.criteria.ScoringContext.builder()
        .setParameterName("fc.weight").setWeight(Tensor.of(new float[] {-1.5f, 0f, 2f, -0f}, 2, 2)).build());
    assertArrayEquals(new float[] {1.5f, 0f, 2f, 0f}, s.data());
    assertEquals(new Shape(2, 2), s.shape());
  }
}
