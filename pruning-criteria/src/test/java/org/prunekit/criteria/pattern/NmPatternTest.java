package org.prunekit.criteria.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.TestGraphs;
import org.prunekit.criteria.ThresholdMode;

/** Spec B7 and section 0.6. */
class NmPatternTest {

  private static void assertMessage(IllegalArgumentException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void explicitCountsAreValidated() {
    assertEquals(2, NmPattern.keep(2, 4).prunedN());
    assertEquals(0.5, NmPattern.keep(2, 4).sparsity());
    assertEquals(0.25, NmPattern.keep(3, 4).sparsity());
    assertMessage(assertThrows(IllegalArgumentException.class, () -> NmPattern.keep(0, 4)), "keepN=0", "groupM=4");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> NmPattern.keep(4, 4)), "keepN=4", "groupM=4");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> NmPattern.keep(-1, 8)), "keepN=-1");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> NmPattern.keep(1, 1)), "groupM=1");
  }

  @Test
  void referenceReadingIsPrunedOfMAndNvidiaIsKeptOfM() {
    assertEquals(NmPattern.keep(2, 4), NmPattern.fromReference("2:4"));
    assertEquals(NmPattern.keep(2, 4), NmPattern.fromNvidia("2:4"));
    assertEquals(NmPattern.keep(4, 8), NmPattern.fromReference("4:8"));
    // RIA's "1:4" prunes 25 %; NVIDIA's "1:4" keeps one of four (75 % sparse)
    assertEquals(NmPattern.keep(3, 4), NmPattern.fromReference("1:4"));
    assertEquals(0.25, NmPattern.fromReference("1:4").sparsity());
    assertEquals(NmPattern.keep(1, 4), NmPattern.fromNvidia(" 1 : 4 "));
    assertEquals(NmPattern.keep(3, 4), NmPattern.prune(1, 4));
    assertEquals("keep 3 of 4 (reference 1:4)", NmPattern.fromReference("1:4").toString());
    for (String bad : new String[] {"2-4", "a:4", "2:", ":4", "4:4", "0:4", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NmPattern.fromReference(bad),
          bad);
      assertTrue(e.getMessage().contains(bad.isEmpty() ? "N:M" : bad), e.getMessage());
    }
    assertSame(SparsityPattern.unstructured(), SparsityPattern.parse("Unstructured"));
    assertEquals(NmPattern.keep(6, 8), SparsityPattern.parse("2:8"));
  }

  @Test
  void specB7HandExampleKeepsTheTwoLargestOfEachBlock() {
    // 2:4 on [4,1,3,2 | 0.1,0.2,0.3,0.4] keeps {4,3} and {0.3,0.4}
    Tensor scores = Tensor.of(new float[] {4, 1, 3, 2, 0.1f, 0.2f, 0.3f, 0.4f}, 1, 8);
    assertArrayEquals(new float[] {1, 0, 1, 0, 0, 0, 1, 1},
        NmSelector.mask("w", scores, NmPattern.fromReference("2:4")).data());
    // the same through the pruning facade with magnitude scores (signs do not matter)
    Graph g = TestGraphs.linear(new float[] {-4, 1, 3, -2, 0.1f, -0.2f, 0.3f, 0.4f}, 1, 8);
    var r = Pruning.prune(g, PruningSpec.of("magnitude", NmPattern.keep(2, 4)));
    assertArrayEquals(new float[] {1, 0, 1, 0, 0, 0, 1, 1}, TestGraphs.mask(g, "fc.weight"));
    assertEquals(4, r.report().entry("fc.weight").maskedZeros());
    assertArrayEquals(new float[] {-4, 0, 3, 0, 0, 0, 0.3f, 0.4f}, g.parameter("fc.weight").value().data());
  }

  @Test
  void tiesPruneTheLowerIndexFirst() {
    Tensor equal = Tensor.of(new float[] {1, 1, 1, 1, 5, 2, 2, 7}, 1, 8);
    assertArrayEquals(new float[] {0, 0, 1, 1, 1, 0, 0, 1}, NmSelector.mask("w", equal, NmPattern.keep(2, 4)).data());
    Tensor three = Tensor.of(new float[] {2, 1, 1, 3}, 1, 4);
    assertArrayEquals(new float[] {1, 0, 1, 1}, NmSelector.mask("w", three, NmPattern.keep(3, 4)).data());
    assertArrayEquals(new float[] {0, 0, 0, 1}, NmSelector.mask("w", three, NmPattern.keep(1, 4)).data());
  }

  /** The stable-sort reference: in each block, sort indices by (score, index) and prune the first N. */
  private static float[] bruteForce(float[] v, int m, int pruned) {
    float[] out = new float[v.length];
    Arrays.fill(out, 1f);
    for (int from = 0; from < v.length; from += m) {
      Integer[] idx = new Integer[m];
      for (int i = 0; i < m; i++) {
        idx[i] = from + i;
      }
      Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> v[i]).thenComparing(i -> i));
      for (int i = 0; i < pruned; i++) {
        out[idx[i]] = 0f;
      }
    }
    return out;
  }

  @Test
  void everyBlockHasExactlyNZerosAndMatchesAStableSort() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int[] nm : new int[][] {{2, 4}, {4, 8}, {1, 4}, {3, 4}, {5, 32}}) {
      NmPattern p = NmPattern.keep(nm[0], nm[1]);
      int rows = 7;
      int cols = nm[1] * 5;
      float[] v = new float[rows * cols];
      for (int i = 0; i < v.length; i++) {
        v[i] = i % 3 == 0 ? rng.nextInt(3) : (float) rng.nextDouble(-1, 1); // many ties
      }
      float[] mask = NmSelector.mask("w", Tensor.of(v, rows, cols), p).data();
      assertArrayEquals(bruteForce(v, nm[1], p.prunedN()), mask, p.toString());
      for (int from = 0; from < v.length; from += nm[1]) {
        int zeros = 0;
        for (int i = from; i < from + nm[1]; i++) {
          zeros += mask[i] == 0f ? 1 : 0;
        }
        assertEquals(p.prunedN(), zeros, p + " block at " + from);
      }
    }
  }

  @Test
  void widthNotAMultipleOfMIsRejectedBeforeAnyChange() {
    Graph g = TestGraphs.linear(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pruning.prune(g, PruningSpec.of("magnitude", NmPattern.keep(2, 4))));
    assertMessage(e, "'fc.weight'", "input width 6", "groupM=4");
    assertFalse(g.parameter("fc.weight").hasMask());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, g.parameter("fc.weight").value().data());
    e = assertThrows(IllegalArgumentException.class,
        () -> NmSelector.select(Map.of("x.weight", Tensor.of(new float[10], 2, 5)), NmPattern.keep(1, 2)));
    assertMessage(e, "'x.weight'", "5", "groupM=2");
    e = assertThrows(IllegalArgumentException.class,
        () -> NmSelector.mask("w", Tensor.of(new float[] {1, Float.NaN}, 1, 2), NmPattern.keep(1, 2)));
    assertMessage(e, "NaN", "index 1");
  }

  @Test
  void specCarriesThePatternConsistently() {
    PruningSpec s = PruningSpec.builder().setCriterion("magnitude").optPattern(NmPattern.keep(2, 4)).build();
    assertEquals(0.5, s.sparsity());
    assertEquals(Scope.ROW, s.scope());
    assertEquals(NmPattern.keep(2, 4), s.pattern());
    assertSame(SparsityPattern.unstructured(), PruningSpec.of("magnitude", 0.5).pattern());
    assertEquals(0.25, PruningSpec.builder().setCriterion("magnitude").setSparsity(0.25)
        .optPattern(NmPattern.fromReference("1:4")).build().sparsity());
    assertMessage(assertThrows(IllegalArgumentException.class, () -> PruningSpec.builder().setCriterion("magnitude")
        .setSparsity(0.3).optPattern(NmPattern.keep(2, 4)).build()), "0.3", "keep 2 of 4");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> PruningSpec.builder().setCriterion("magnitude")
        .optScope(Scope.GLOBAL).optPattern(NmPattern.keep(2, 4)).build()), "GLOBAL");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> PruningSpec.builder().setCriterion("magnitude")
        .optThresholdMode(ThresholdMode.REFERENCE).optPattern(NmPattern.keep(2, 4)).build()), "REFERENCE");
  }

  @Test
  void activationCriteriaWorkWithNmToo() {
    // Wanda scores of spec B2 test 1 (x2 = [1, 0.1]) on a [1, 4] weight: 2:4 keeps the two highest scores
    Graph g = TestGraphs.linear(new float[] {1, -2, 3, 0.5f}, 1, 4);
    Pruning.prune(g, PruningSpec.of("wanda", NmPattern.keep(2, 4)),
        ScoringInputs.ofNorms(Map.of("fc.weight", new double[] {2, 0.01, 1, 16})));
    // scores: 1.414, 0.2, 3, 2 -> keep indices 2 and 3
    assertArrayEquals(new float[] {0, 0, 1, 1}, TestGraphs.mask(g, "fc.weight"));
  }
}
