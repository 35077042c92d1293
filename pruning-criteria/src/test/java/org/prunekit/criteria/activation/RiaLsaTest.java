package org.prunekit.criteria.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.pattern.NmPattern;

/** RIA's LSA refinement: the Hungarian assignment by hand, and the refinement's invariants. */
class RiaLsaTest {
  private static final NmPattern TWO_FOUR = NmPattern.keep(2, 4);

  @Test
  void hungarianFindsTheHandComputedMaximum() {
    // Best: row0->col2 (9), row1->col0 (8), row2->col1 (7) = 24; the greedy row-wise choice gives 9 + 6 + 1 = 16.
    double[][] w = {{1, 2, 9}, {8, 6, 5}, {3, 7, 1}};
    assertArrayEquals(new int[] {2, 0, 1}, RiaLsa.assign(w));
    // Every one of the 24 permutations of a 4x4 matrix: the assignment's weight equals the brute-force maximum.
    SplittableRandom rng = new SplittableRandom(1);
    for (int trial = 0; trial < 50; trial++) {
      double[][] m = new double[4][4];
      for (double[] row : m) {
        for (int j = 0; j < 4; j++) {
          row[j] = rng.nextInt(10);
        }
      }
      int[] a = RiaLsa.assign(m);
      assertEquals(bruteForceMax(m), m[0][a[0]] + m[1][a[1]] + m[2][a[2]] + m[3][a[3]], 0, "trial " + trial);
      assertEquals(4, Arrays.stream(a).distinct().count());
    }
    assertThrows(IllegalArgumentException.class, () -> RiaLsa.assign(new double[][] {{1, 2}}));
  }

  private static double bruteForceMax(double[][] m) {
    double best = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        for (int c = 0; c < 4; c++) {
          int d = 6 - a - b - c;
          if (a != b && a != c && b != c && d >= 0 && d < 4 && d != a && d != b && d != c) {
            best = Math.max(best, m[0][a] + m[1][b] + m[2][c] + m[3][d]);
          }
        }
      }
    }
    return best;
  }

  @Test
  void handExampleOneSlotSwapImprovesTheZigZag() {
    // 1:2 (keep 1 of 2), columns c0..c3 = [1,0], [0,2], [0,3], [4,0] (rows 0, 1), sums 1, 2, 3, 4.
    // Zig-zag: slot 0 gets [c0, c1], slot 1 [c2, c3] reversed -> perm [0, 3, 1, 2], groups {c0, c3} {c1, c2}:
    // row 0 keeps 4 + 0, row 1 keeps 0 + 3 -> 7.
    // LSA slot 0: weights g0<-c0 4, g0<-c1 6, g1<-c0 4, g1<-c1 3: swapping (6 + 4 = 10) beats 7 -> perm [1, 3, 0, 2].
    // Slot 1: g0<-c3 6, g0<-c2 3, g1<-c3 4, g1<-c2 4: keeping (10) beats swapping (7). Retained 10.
    Tensor s = Tensor.of(new float[] {1, 0, 0, 4, 0, 2, 3, 0}, 2, 4);
    NmPattern oneTwo = NmPattern.keep(1, 2);
    int[] zig = RiaReallocation.permutation("w", s, 2);
    assertArrayEquals(new int[] {0, 3, 1, 2}, zig);
    int[] lsa = RiaLsa.refine("w", s, zig, oneTwo, RiaLsa.DEFAULT_BLOCK_GROUPS);
    assertArrayEquals(new int[] {1, 3, 0, 2}, lsa);
    RiaReallocation.Result plain = RiaReallocation.select("w", s, oneTwo, false, false);
    RiaReallocation.Result refined = RiaReallocation.select("w", s, oneTwo, false, true);
    assertEquals(7, plain.retainedReallocated(), 0);
    assertEquals(10, refined.retainedReallocated(), 0);
    assertArrayEquals(lsa, refined.permutation());
    // Back in original column order: row 0 keeps c0 (group {c1, c3} keeps c3 = 4, {c0, c2} keeps c0 = 1).
    assertArrayEquals(new float[] {1, 0, 0, 1, 0, 1, 1, 0}, refined.mask().data());
  }

  @Test
  void refinementNeverLosesAndStaysAPermutation() {
    int improved = 0;
    for (int seed = 0; seed < 10; seed++) {
      SplittableRandom rng = new SplittableRandom(seed);
      int rows = 12;
      int cols = 32;
      float[] v = new float[rows * cols];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (Math.abs(rng.nextGaussian()) * Math.pow(10, (i % cols) % 3));
      }
      Tensor s = Tensor.of(v, rows, cols);
      RiaReallocation.Result zig = RiaReallocation.select("w", s, TWO_FOUR, false, false);
      for (int block : new int[] {1, 3, RiaLsa.DEFAULT_BLOCK_GROUPS}) {
        int[] perm = RiaLsa.refine("w", s, zig.permutation(), TWO_FOUR, block);
        int[] sorted = perm.clone();
        Arrays.sort(sorted);
        for (int j = 0; j < cols; j++) {
          assertEquals(j, sorted[j], "not a permutation, seed " + seed);
        }
      }
      RiaReallocation.Result lsa = RiaReallocation.select("w", s, TWO_FOUR, false, true);
      assertTrue(lsa.retainedReallocated() >= zig.retainedReallocated() - 1e-3, "seed " + seed);
      improved += lsa.retainedReallocated() > zig.retainedReallocated() + 1e-3 ? 1 : 0;
    }
    assertTrue(improved >= 5, "LSA improved only " + improved + " of 10");
  }

  @Test
  void badInputIsRejected() {
    Tensor s = Tensor.of(new float[] {1, 2, 3, Float.NaN}, 1, 4);
    assertThrows(IllegalArgumentException.class, () -> RiaLsa.refine("w", s, new int[] {0, 1, 2, 3}, TWO_FOUR, 4));
    Tensor ok = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
    assertThrows(IllegalArgumentException.class, () -> RiaLsa.refine("w", ok, new int[] {0, 1, 2}, TWO_FOUR, 4));
    assertThrows(IllegalArgumentException.class, () -> RiaLsa.refine("w", ok, new int[] {0, 1, 2, 3}, TWO_FOUR, 0));
  }
}
