package org.prunekit.criteria.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.TestGraphs;
import org.prunekit.criteria.pattern.NmPattern;

class RiaReallocationTest {
  private static final NmPattern TWO_FOUR = NmPattern.keep(2, 4);

  @Test
  void handExampleZigZagAndMappingBack() {
    // one row: identity 2:4 keeps {9, 8} and {3, 4} = 24
    Tensor s = Tensor.of(new float[] {9, 8, 7, 6, 1, 2, 3, 4}, 1, 8);
    // ascending column order 4,5,6,7,3,2,1,0; slices of 2: p0 [4,5], p1 [6,7] reversed, p2 [3,2], p3 [1,0] reversed
    int[] perm = RiaReallocation.permutation("w", s, 4);
    assertArrayEquals(new int[] {4, 7, 3, 0, 5, 6, 2, 1}, perm);
    RiaReallocation.Result r = RiaReallocation.select("w", s, TWO_FOUR, false);
    assertEquals(24, r.retainedIdentity(), 0);
    // permuted values [1,4,6,9 | 2,3,7,8] keep 6,9 and 7,8 = 30
    assertEquals(30, r.retainedReallocated(), 0);
    assertTrue(r.reallocated());
    // back in original order: columns 3, 0, 2, 1 are kept
    assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0}, r.mask().data());
    assertEquals(30, RiaReallocation.retained(s, r.mask()), 0);
    assertExactlyNmInPermutedOrder(r.mask(), r.permutation(), 1, 8, TWO_FOUR);
  }

  @Test
  void randomMatricesRetainAtLeastPlainNm() {
    int heuristicWins = 0;
    for (int seed = 0; seed < 20; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      int rows = 16;
      int cols = 32;
      // column scales spread over two orders of magnitude (activation outliers), as in LLM layers
      double[] scale = new double[cols];
      for (int j = 0; j < cols; j++) {
        scale[j] = Math.exp(rnd.nextGaussian() * (seed % 2 == 0 ? 1.5 : 0.0));
      }
      float[] v = new float[rows * cols];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextDouble() * scale[i % cols]);
      }
      Tensor s = Tensor.of(v, rows, cols);
      for (NmPattern nm : new NmPattern[] {TWO_FOUR, NmPattern.keep(4, 8), NmPattern.keep(1, 4)}) {
        RiaReallocation.Result guarded = RiaReallocation.select("w", s, nm, true);
        RiaReallocation.Result reference = RiaReallocation.select("w", s, nm, false);
        double plain = RiaReallocation.retained(s, org.prunekit.criteria.pattern.NmSelector.mask("w", s, nm));
        assertEquals(plain, guarded.retainedIdentity(), 1e-9);
        assertTrue(RiaReallocation.retained(s, guarded.mask()) >= plain - 1e-9, "seed " + seed + " " + nm);
        assertEquals(reference.retainedReallocated(), RiaReallocation.retained(s, reference.mask()), 1e-6);
        assertExactlyNmInPermutedOrder(reference.mask(), reference.permutation(), rows, cols, nm);
        assertExactlyNmInPermutedOrder(guarded.mask(), guarded.permutation(), rows, cols, nm);
        if (seed % 2 == 0 && nm.equals(TWO_FOUR)) {
          heuristicWins += reference.retainedReallocated() > reference.retainedIdentity() ? 1 : 0;
        }
      }
    }
    // with heterogeneous column scales the zig-zag heuristic alone beats plain 2:4 on every seed
    assertEquals(10, heuristicWins);
  }

  @Test
  void pruneAppliesAllOrNothingAndKeepsEarlierMasks() {
    float[] w = {9, 8, 7, 6, 1, 2, 3, 4, -1, 2, -3, 4, 5, -6, 7, -8};
    Graph g = TestGraphs.linear(w, 2, 8);
    double[] norms = {1, 1, 1, 1, 1, 1, 1, 1};
    ScoringInputs in = ScoringInputs.ofNorms(Map.of("fc.weight", norms));
    RiaReallocation.Pruned p = RiaReallocation.prune(g, new RiaCriterion(), TWO_FOUR, Targets.defaults(), in, true);
    RiaReallocation.Result r = p.details().get("fc.weight");
    assertEquals(8, g.parameter("fc.weight").mask().countZeros());
    assertExactlyNmInPermutedOrder(g.parameter("fc.weight").mask(), r.permutation(), 2, 8, TWO_FOUR);
    for (int i = 0; i < w.length; i++) {
      float m = g.parameter("fc.weight").mask().data()[i];
      assertEquals(m == 0 ? 0f : w[i], g.parameter("fc.weight").value().data()[i]);
    }

    // bad input: width 6 is not a multiple of 4 -> exception, nothing changed
    Graph bad = TestGraphs.linear(new float[12], 2, 6);
    assertThrows(IllegalArgumentException.class, () -> RiaReallocation.prune(bad, new RiaCriterion(), TWO_FOUR,
        Targets.defaults(), ScoringInputs.ofNorms(Map.of("fc.weight", new double[6])), true));
    assertFalse(bad.parameter("fc.weight").hasMask());
    Graph noNorms = TestGraphs.linear(w, 2, 8);
    assertThrows(IllegalArgumentException.class, () -> RiaReallocation.prune(noNorms, new RiaCriterion(), TWO_FOUR,
        Targets.defaults(), ScoringInputs.none(), true));
    assertFalse(noNorms.parameter("fc.weight").hasMask());
  }

  /** Every group of M consecutive permuted columns keeps exactly N per row. */
  static void assertExactlyNmInPermutedOrder(Tensor mask, int[] perm, int rows, int cols, NmPattern nm) {
    int[] sorted = perm.clone();
    Arrays.sort(sorted);
    for (int j = 0; j < cols; j++) {
      assertEquals(j, sorted[j], "permutation is a permutation");
    }
    float[] m = mask.data();
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < cols; g += nm.groupM()) {
        int kept = 0;
        for (int k = g; k < g + nm.groupM(); k++) {
          kept += m[r * cols + perm[k]] != 0f ? 1 : 0;
        }
        assertEquals(nm.keepN(), kept, "row " + r + ", permuted group at " + g);
      }
    }
  }
}
