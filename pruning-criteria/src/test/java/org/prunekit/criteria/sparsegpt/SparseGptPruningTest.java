package org.prunekit.criteria.sparsegpt;

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
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.TestGraphs;
import org.prunekit.criteria.pattern.NmPattern;

/** The graph-level entry point: weights updated, masks attached, all-or-nothing. */
class SparseGptPruningTest {
  private static final SplittableRandom RND = new SplittableRandom(21);

  private static HessianAccumulator acc(String name, int in, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    HessianAccumulator h = new HessianAccumulator(name, in);
    h.add(Tensor.of(SparseGptTest.correlated(r, 50, in), 50, in));
    return h;
  }

  @Test
  void registeredAndRefusedByTheScoreOnlyPruner() {
    assertInstanceOf(SparseGptCriterion.class, Criteria.byName("sparsegpt"));
    Graph g = TestGraphs.linear(SparseGptTest.randn(RND, 8), 2, 4);
    Tensor before = g.parameter("fc.weight").value().copy();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pruning.prune(g, PruningSpec.of("sparsegpt", 0.5)));
    assertTrue(e.getMessage().contains("SparseGptPruning") && e.getMessage().contains("fc.weight"), e.getMessage());
    assertTrue(before.bitEquals(g.parameter("fc.weight").value()));
    assertFalse(g.parameter("fc.weight").hasMask());
  }

  @Test
  void updatesWeightsAndAttachesTheSameMaskAsTheLayerOperation() {
    float[] a = SparseGptTest.randn(RND, 6 * 8);
    float[] b = SparseGptTest.randn(RND, 4 * 8);
    Graph g = TestGraphs.twoLinears(a, 6, b, 4, 8);
    HessianAccumulator ha = acc("a", 8, 1);
    HessianAccumulator hb = acc("b", 8, 2);
    PruningResult r = SparseGptPruning.prune(g, PruningSpec.of("sparsegpt", 0.5),
        Map.of("a.weight", ha, "b", hb)); // qualified or node name
    SparseGptResult ea = SparseGpt.defaults().prune("a.weight", Tensor.of(a, 6, 8), ha, 0.5);
    SparseGptResult eb = SparseGpt.defaults().prune("b.weight", Tensor.of(b, 4, 8), hb, 0.5);
    assertArrayEquals(ea.weight().data(), g.parameter("a.weight").value().data());
    assertArrayEquals(eb.weight().data(), g.parameter("b.weight").value().data());
    assertArrayEquals(ea.mask().data(), TestGraphs.mask(g, "a.weight"));
    assertArrayEquals(eb.mask().data(), TestGraphs.mask(g, "b.weight"));
    assertEquals(24 + 16, r.report().maskedZeros());
    assertFalse(java.util.Arrays.equals(a, g.parameter("a.weight").value().data()));

    // N:M through the same entry point
    Graph g2 = TestGraphs.linear(a, 6, 8);
    SparseGptPruning.prune(g2, PruningSpec.of("sparsegpt", NmPattern.keep(2, 4)), Map.of("fc", ha));
    assertArrayEquals(SparseGpt.defaults().prune("fc", Tensor.of(a, 6, 8), ha, NmPattern.keep(2, 4)).mask().data(),
        TestGraphs.mask(g2, "fc.weight"));
  }

  @Test
  void existingMasksNeverRegrow() {
    float[] a = SparseGptTest.randn(RND, 2 * 4);
    Graph g = TestGraphs.linear(a, 2, 4);
    Tensor old = Tensor.of(new float[] {1, 1, 1, 0, 1, 1, 1, 1}, 2, 4);
    g.parameter("fc.weight").setMask(old);
    g.parameter("fc.weight").applyMask();
    SparseGptPruning.prune(g, PruningSpec.of("sparsegpt", 0.25), Map.of("fc", acc("fc", 4, 3)));
    float[] m = TestGraphs.mask(g, "fc.weight");
    assertEquals(0f, m[3]);
    assertEquals(2, 8 - (int) (m[0] + m[1] + m[2] + m[3] + m[4] + m[5] + m[6] + m[7])); // floor(0.25 * 8) = 2
    assertEquals(0f, g.parameter("fc.weight").value().data()[3]);
  }

  @Test
  void badInputLeavesTheGraphUnchanged() {
    float[] a = SparseGptTest.randn(RND, 6 * 8);
    float[] b = SparseGptTest.randn(RND, 4 * 8);
    Graph g = TestGraphs.twoLinears(a, 6, b, 4, 8);
    HessianAccumulator good = acc("a", 8, 1);
    HessianAccumulator empty = new HessianAccumulator("b", 8);
    HessianAccumulator narrow = acc("b", 6, 2);
    assertUnchanged(g, a, b, () -> SparseGptPruning.prune(g, PruningSpec.of("sparsegpt", 0.5), Map.of("a", good)),
        "b.weight", "Hessian");
    assertUnchanged(g, a, b, () -> SparseGptPruning.prune(g, PruningSpec.of("sparsegpt", 0.5),
        Map.of("a", good, "b", empty)), "empty calibration", "'b'");
    assertUnchanged(g, a, b, () -> SparseGptPruning.prune(g, PruningSpec.of("sparsegpt", 0.5),
        Map.of("a", good, "b", narrow)), "b.weight", "6 x 6", "input width 8");
    assertUnchanged(g, a, b, () -> SparseGptPruning.prune(g, PruningSpec.of("wanda", 0.5),
        Map.of("a", good, "b", good)), "wanda");
    assertUnchanged(g, a, b, () -> SparseGptPruning.prune(g, PruningSpec.of("sparsegpt", 0.5, Scope.ROW),
        Map.of("a", good, "b", good)), "scope ROW");
    assertUnchanged(g, a, b, () -> SparseGptPruning.prune(g, PruningSpec.of("sparsegpt", NmPattern.keep(2, 3)),
        Map.of("a", good, "b", good)), "a.weight", "groupM=3");
    // a layer that fails during the sweep (percdamp 0 on a singular Hessian) after another succeeded
    HessianAccumulator singular = new HessianAccumulator("b", 8);
    singular.add(Tensor.of(SparseGptTest.randn(RND, 2 * 8), 2, 8));
    assertUnchanged(g, a, b, () -> SparseGptPruning.prune(g, PruningSpec.of("sparsegpt", 0.5),
        Map.of("a", good, "b", singular), SparseGpt.builder().optPercDamp(0).build()), "b.weight",
        "not positive definite");
    float[] nan = b.clone();
    nan[3] = Float.NaN;
    Graph g2 = TestGraphs.twoLinears(a, 6, nan, 4, 8);
    assertUnchanged(g2, a, nan, () -> SparseGptPruning.prune(g2, PruningSpec.of("sparsegpt", 0.5),
        Map.of("a", good, "b", good)), "b.weight", "NaN");
  }

  private static void assertUnchanged(Graph g, float[] a, float[] b, Runnable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
    assertArrayEquals(a, g.parameter("a.weight").value().data());
    assertArrayEquals(b, g.parameter("b.weight").value().data());
    assertFalse(g.parameter("a.weight").hasMask());
    assertFalse(g.parameter("b.weight").hasMask());
  }
}
