package org.prunekit.criteria.lamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
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
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.TestGraphs;

/** Spec B4 with hand-computed values and invariants. */
class LampTest {

  private static Map<String, Tensor> layers(float[]... ws) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < ws.length; i++) {
      m.put("l" + i + ".weight", Tensor.of(ws[i], 1, ws[i].length));
    }
    return m;
  }

  @Test
  void handScores() {
    assertArrayEquals(new double[] {1.0 / 14, 4.0 / 13, 1}, LampScores.of(new float[] {1, 2, 3}), 1e-15);
    assertArrayEquals(new double[] {0.25 / 16.25, 1}, LampScores.of(new float[] {0.5f, 4}), 1e-15);
    assertEquals(0.01538, LampScores.of(new float[] {0.5f, 4})[0], 1e-5);
    // positions and signs: scores follow |w| and stay at the entries' own indices
    assertArrayEquals(new double[] {1, 4.0 / 13, 1.0 / 14}, LampScores.of(new float[] {-3, 2, -1}), 1e-15);
    // equal magnitudes: the lower index sorts first and scores lower; the largest scores exactly 1
    assertArrayEquals(new double[] {0.5, 1}, LampScores.of(new float[] {2, -2}), 0);
  }

  @Test
  void handAllocationKeepsThreeOfFive() {
    // survivors = rint(5 * (1 - 0.4)) = 3; threshold 4/13 = 0.3077: layer 1 keeps {2, 3}, layer 2 keeps {4}
    LampAllocation.Result r = LampAllocation.allocate(layers(new float[] {1, 2, 3}, new float[] {0.5f, 4}),
        Map.of(), 0.4);
    assertEquals(3, r.survivors());
    assertEquals(4.0 / 13, r.threshold(), 1e-15);
    assertEquals(0.3077, r.threshold(), 1e-4);
    assertEquals(Map.of("l0.weight", 2L, "l1.weight", 1L), r.kept());
    assertEquals(1.0 / 3, r.amounts().get("l0.weight"), 1e-15);
    assertEquals(0.5, r.amounts().get("l1.weight"), 1e-15);
    assertArrayEquals(new float[] {0, 1, 1}, r.masks().mask("l0.weight").data());
    assertArrayEquals(new float[] {0, 1}, r.masks().mask("l1.weight").data());
  }

  @Test
  void survivorsRoundHalfToEven() {
    // 5 * 0.5 = 2.5 -> 2 survivors (Math.round would give 3); 7 * 0.5 = 3.5 -> 4
    LampAllocation.Result r = LampAllocation.allocate(layers(new float[] {1, 2, 3}, new float[] {0.5f, 4}),
        Map.of(), 0.5);
    assertEquals(2, r.survivors());
    assertEquals(Map.of("l0.weight", 1L, "l1.weight", 1L), r.kept()); // the two scores of 1
    r = LampAllocation.allocate(layers(new float[] {1, 2, 3, 4}, new float[] {0.5f, 4, 5}), Map.of(), 0.5);
    assertEquals(4, r.survivors());
  }

  @Test
  void noLayerIsEmptiedAtHighSparsityWhateverTheScale() {
    SplittableRandom rng = new SplittableRandom(17);
    float[] tiny = new float[100];
    float[] huge = new float[1000];
    float[] unit = new float[50];
    for (float[][] l : new float[][][] {{tiny, {1e-3f}}, {huge, {1e3f}}, {unit, {1f}}}) {
      for (int i = 0; i < l[0].length; i++) {
        l[0][i] = (float) (rng.nextGaussian() * l[1][0]);
      }
    }
    Map<String, Tensor> ws = layers(tiny, huge, unit);
    LampAllocation.Result r = LampAllocation.allocate(ws, Map.of(), 0.99);
    assertEquals(12, r.survivors()); // rint(1150 * (1 - 0.99)) = rint(11.500000000000011) = 12
    for (String name : ws.keySet()) {
      assertTrue(r.kept().get(name) >= 1, name + " kept " + r.kept().get(name));
      assertTrue(r.masks().zeros(name) < ws.get(name).size(), name);
    }
    long kept = r.kept().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(12, kept);
    // plain global magnitude at the same sparsity empties the tiny layer
    Graph g = threeLayers(tiny, huge, unit);
    Pruning.prune(g, PruningSpec.of("magnitude", 0.99, Scope.GLOBAL));
    assertEquals(100, g.parameter("a.weight").mask().countZeros());
    // the LAMP criterion through the generic global pipeline keeps every layer too
    Graph lg = threeLayers(tiny, huge, unit);
    PruningResult lr = Pruning.prune(lg, PruningSpec.of("lamp", 0.99));
    for (String p : new String[] {"a.weight", "b.weight", "c.weight"}) {
      assertTrue(lg.parameter(p).mask().countZeros() < lg.parameter(p).numel(), p);
    }
    assertEquals((long) Math.floor(0.99 * 1150), lr.report().maskedZeros());
  }

  private static Graph threeLayers(float[] a, float[] b, float[] c) {
    return org.prunekit.core.graph.GraphBuilder.create(0).input("x", 10)
        .node("a", new org.prunekit.core.graph.op.Linear(10, a.length / 10, false),
            Map.of("weight", Tensor.of(a.clone(), a.length / 10, 10)), "x").output()
        .node("b", new org.prunekit.core.graph.op.Linear(10, b.length / 10, false),
            Map.of("weight", Tensor.of(b.clone(), b.length / 10, 10)), "x").output()
        .node("c", new org.prunekit.core.graph.op.Linear(10, c.length / 10, false),
            Map.of("weight", Tensor.of(c.clone(), c.length / 10, 10)), "x").output()
        .build();
  }

  @Test
  void invariants() {
    SplittableRandom rng = new SplittableRandom(23);
    float[] w = new float[200];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    double[] s = LampScores.of(w);
    for (int i = 0; i < w.length; i++) {
      assertTrue(s[i] > 0 && s[i] <= 1, "score " + i + " = " + s[i]);
      for (int j = 0; j < w.length; j++) {
        if (Math.abs(w[i]) < Math.abs(w[j])) {
          assertTrue(s[i] < s[j], i + " vs " + j); // order of |w|
        }
      }
    }
    float[] scaled = w.clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= 37f;
    }
    // scale invariance: exact for a power of two, to float rounding of the scaled weights otherwise
    double[] s37 = LampScores.of(scaled);
    for (int i = 0; i < w.length; i++) {
      assertEquals(s[i], s37[i], 1e-6 * s[i], "score " + i);
    }
    float[] quarter = w.clone();
    for (int i = 0; i < quarter.length; i++) {
      quarter[i] *= 0.25f;
    }
    assertArrayEquals(s, LampScores.of(quarter), 0);
    // so scaling one layer does not change the allocation
    float[] other = {0.3f, -1.5f, 0.7f, 2.2f, -0.05f};
    LampAllocation.Result a = LampAllocation.allocate(layers(w, other), Map.of(), 0.7);
    LampAllocation.Result b = LampAllocation.allocate(layers(scaled, other), Map.of(), 0.7);
    assertEquals(a.kept(), b.kept());
    assertEquals(a.masks(), b.masks());
  }

  @Test
  void alreadyMaskedWeightsAreExcludedAndStayMasked() {
    // layer 0 [1, 2, 3, 4] with 3 already masked: unmasked {1, 2, 4}, scores [1/21, 4/20, 1]
    Map<String, Tensor> ws = layers(new float[] {1, 2, 3, 4}, new float[] {0.5f, 4});
    Map<String, Tensor> masks = Map.of("l0.weight", Tensor.of(new float[] {1, 1, 0, 1}, 1, 4));
    LampAllocation.Result r = LampAllocation.allocate(ws, masks, 0.4); // rint(5 * 0.6) = 3 survivors
    assertEquals(Map.of("l0.weight", 3L, "l1.weight", 2L), r.unmasked());
    assertEquals(3, r.survivors());
    assertEquals(0.2, r.threshold(), 1e-15); // 4/20
    assertArrayEquals(new float[] {0, 1, 0, 1}, r.masks().mask("l0.weight").data());
    assertArrayEquals(new float[] {0, 1}, r.masks().mask("l1.weight").data());
  }

  @Test
  void pruneAttachesMasksAndBadInputChangesNothing() {
    float[] a = {1, 2, 3};
    float[] b = {0.5f, 4, 0};
    Graph g = TestGraphs.twoLinears(a, 1, b, 1, 3);
    PruningResult r = LampAllocation.prune(g, Targets.defaults(), 0.5); // rint(3) = 3 survivors of 6
    // scores: a [1/14, 4/13, 1], b [0.25/16.25, 1, 0]; threshold = 3rd largest = 4/13
    assertArrayEquals(new float[] {0, 1, 1}, TestGraphs.mask(g, "a.weight"));
    assertArrayEquals(new float[] {0, 1, 0}, TestGraphs.mask(g, "b.weight"));
    assertEquals(3, r.report().maskedZeros());
    assertArrayEquals(new float[] {0, 2, 3}, g.parameter("a.weight").value().data());

    Graph bad = TestGraphs.twoLinears(new float[] {1, Float.NaN, 3}, 1, b, 1, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LampAllocation.prune(bad, Targets.defaults(), 0.5));
    assertTrue(e.getMessage().contains("'a.weight'") && e.getMessage().contains("NaN"), e.getMessage());
    assertFalse(bad.parameter("b.weight").hasMask());
    Graph ok = TestGraphs.twoLinears(a, 1, b, 1, 3);
    e = assertThrows(IllegalArgumentException.class, () -> LampAllocation.prune(ok, Targets.defaults(), 1.0));
    assertTrue(e.getMessage().contains("1.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LampAllocation.prune(ok, Targets.defaults(), -0.1));
    // too few weights to keep any: rint(1 * 0.4) = 0
    e = assertThrows(IllegalArgumentException.class,
        () -> LampAllocation.allocate(layers(new float[] {2}), Map.of(), 0.6));
    assertTrue(e.getMessage().contains("no") || e.getMessage().contains("0 of 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LampAllocation.allocate(layers(new float[] {2, 3}),
        Map.of("l0.weight", Tensor.of(new float[] {1, 0.5f}, 1, 2)), 0.5));
    assertTrue(e.getMessage().contains("'l0.weight'") && e.getMessage().contains("0.5"), e.getMessage());
    assertFalse(ok.parameter("a.weight").hasMask());
  }

  @Test
  void lampCriterionIsRegisteredAndGlobal() {
    assertInstanceOf(LampCriterion.class, Criteria.byName("lamp"));
    assertEquals(Scope.GLOBAL, PruningSpec.of("lamp", 0.4).scope());
    // hand example through the generic pipeline: floor(0.4 * 5) = 2 pruned, the same masks as the allocation
    Graph g = org.prunekit.core.graph.GraphBuilder.create(0).input("x", 3)
        .node("a", new org.prunekit.core.graph.op.Linear(3, 1, false),
            Map.of("weight", Tensor.of(new float[] {1, 2, 3}, 1, 3)), "x").output()
        .node("b", new org.prunekit.core.graph.op.Linear(3, 1, false),
            Map.of("weight", Tensor.of(new float[] {0.5f, 4, 0}, 1, 3)), "x").output()
        .build();
    Pruning.prune(g, PruningSpec.of("lamp", 0.5)); // floor(3) = 3 pruned of 6
    assertArrayEquals(new float[] {0, 1, 1}, TestGraphs.mask(g, "a.weight"));
    assertArrayEquals(new float[] {0, 1, 0}, TestGraphs.mask(g, "b.weight"));
  }
}
