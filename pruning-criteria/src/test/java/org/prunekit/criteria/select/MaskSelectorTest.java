package org.prunekit.criteria.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ThresholdMode;

class MaskSelectorTest {
  private static final float[] PALETTE = {-2f, -1f, -0f, 0f, 0.5f, 1f, 2f, 3f};
  private static final double[] SPARSITIES = {0, 0.1, 0.29, 0.5, 0.7, 0.999};

  /** The reference semantics by brute force: a stable ascending sort of all indices. */
  private static float[] bruteForce(float[] v, double s, ThresholdMode mode) {
    int n = v.length;
    int k = (int) Math.floor(s * n);
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    // Stable sort; "+ 0f" turns -0.0 into 0.0 so that they tie, as numeric comparison (and torch.sort) has it.
    Arrays.sort(idx, Comparator.comparingDouble(i -> (double) (v[i] + 0f)));
    float[] m = new float[n];
    Arrays.fill(m, 1f);
    if (mode == ThresholdMode.EXACT) {
      for (int i = 0; i < k; i++) {
        m[idx[i]] = 0f;
      }
    } else {
      float t = v[idx[k]];
      for (int i = 0; i < n; i++) {
        if (v[i] <= t) {
          m[i] = 0f;
        }
      }
    }
    return m;
  }

  private static float[] random(SplittableRandom rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextInt(4) == 0 ? (float) rng.nextGaussian() : PALETTE[rng.nextInt(PALETTE.length)];
    }
    return v;
  }

  @Test
  void layerSelectionMatchesStableSortIncludingTies() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int n : new int[] {1, 2, 5, 17, 64, 1000, 4099, 20_011}) {
      float[] v = random(rng, n);
      for (double s : SPARSITIES) {
        for (ThresholdMode mode : ThresholdMode.values()) {
          float[] got = MaskSelector.layerMask(Tensor.of(v.clone(), n), s, mode).data();
          assertArrayEquals(bruteForce(v, s, mode), got, "n=" + n + " s=" + s + " " + mode);
        }
      }
    }
  }

  @Test
  void rowSelectionMatchesStableSortPerRow() {
    SplittableRandom rng = new SplittableRandom(11);
    int rows = 6;
    int width = 3 * 2 * 2 * 5; // a conv [6, 3, 2, 2, 5] seen as [6, 60]
    float[] v = random(rng, rows * width);
    for (double s : SPARSITIES) {
      for (ThresholdMode mode : ThresholdMode.values()) {
        float[] got = MaskSelector.rowMask(new Tensor(new Shape(rows, 3, 2, 2, 5), v), s, mode).data();
        for (int r = 0; r < rows; r++) {
          float[] row = Arrays.copyOfRange(v, r * width, (r + 1) * width);
          assertArrayEquals(bruteForce(row, s, mode), Arrays.copyOfRange(got, r * width, (r + 1) * width),
              "row " + r + " s=" + s + " " + mode);
        }
      }
    }
  }

  /** Scores shaped like magnitudes: non-negative, many exact ties (incl. -0.0 and 0.0), some in one narrow band. */
  private static float[] magnitudeLike(SplittableRandom rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      switch (rng.nextInt(5)) {
        case 0 -> v[i] = rng.nextBoolean() ? 0f : -0f;
        case 1 -> v[i] = 0.25f * rng.nextInt(4);
        case 2 -> v[i] = Math.nextUp(1f) + rng.nextInt(3000) * Math.ulp(1f); // one 12-bit bucket, ~3000 keys
        default -> v[i] = (float) Math.abs(rng.nextGaussian() * 0.02);
      }
    }
    return v;
  }

  @Test
  void rowSelectionMatchesStableSortForManyWidthsAndTies() {
    SplittableRandom rng = new SplittableRandom(17);
    for (int width : new int[] {1, 2, 7, 49, 300, 3001, 11_008}) {
      int rows = Math.max(2, 24_000 / width);
      float[] v = new float[rows * width];
      for (int r = 0; r < rows; r++) {
        float[] row = r % 2 == 0 ? random(rng, width) : magnitudeLike(rng, width);
        System.arraycopy(row, 0, v, r * width, width);
      }
      v[0] = Float.NEGATIVE_INFINITY;
      v[v.length - 1] = Float.POSITIVE_INFINITY;
      for (double s : SPARSITIES) {
        for (ThresholdMode mode : ThresholdMode.values()) {
          float[] got = MaskSelector.rowMask(Tensor.of(v, rows, width), s, mode).data();
          for (int r = 0; r < rows; r++) {
            float[] row = Arrays.copyOfRange(v, r * width, (r + 1) * width);
            assertArrayEquals(bruteForce(row, s, mode), Arrays.copyOfRange(got, r * width, (r + 1) * width),
                "width " + width + " row " + r + " s=" + s + " " + mode);
          }
        }
      }
    }
  }

  @Test
  void rowSelectionIsIdenticalSingleAndMultiThreaded() throws Exception {
    SplittableRandom rng = new SplittableRandom(19);
    int rows = 257;
    int width = 1031; // 265k scores: above the parallel threshold, several blocks
    assertTrue(rows * width >= MaskSelector.PARALLEL_MIN);
    float[] v = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      float[] row = r % 3 == 0 ? random(rng, width) : magnitudeLike(rng, width);
      System.arraycopy(row, 0, v, r * width, width);
    }
    Shape shape = new Shape(rows, width);
    for (ThresholdMode mode : ThresholdMode.values()) {
      float[] sequential = MaskSelector.rows(v, shape, 0.5, mode, false);
      float[] parallel = MaskSelector.rows(v, shape, 0.5, mode, true);
      assertArrayEquals(sequential, parallel, mode.toString());
      ForkJoinPool one = new ForkJoinPool(1);
      ForkJoinPool four = new ForkJoinPool(4);
      try {
        float[] inOne = one.submit(() -> MaskSelector.rowMask(new Tensor(shape, v), 0.5, mode).data()).get();
        float[] inFour = four.submit(() -> MaskSelector.rowMask(new Tensor(shape, v), 0.5, mode).data()).get();
        assertArrayEquals(sequential, inOne, "1 thread " + mode);
        assertArrayEquals(sequential, inFour, "4 threads " + mode);
      } finally {
        one.shutdown();
        four.shutdown();
      }
      for (int r = 0; r < rows; r += 16) {
        float[] row = Arrays.copyOfRange(v, r * width, (r + 1) * width);
        assertArrayEquals(bruteForce(row, 0.5, mode), Arrays.copyOfRange(parallel, r * width, (r + 1) * width),
            "row " + r + " " + mode);
      }
    }
  }

  @Test
  void onePassWindowPathAgreesWithStableSortOnSimilarRows() {
    SplittableRandom rng = new SplittableRandom(23);
    int width = 2048;
    for (int kind = 0; kind < 4; kind++) {
      for (ThresholdMode mode : ThresholdMode.values()) {
        RadixSelect sel = new RadixSelect(width);
        int rows = 60;
        for (int r = 0; r < rows; r++) {
          float[] row = new float[width];
          for (int i = 0; i < width; i++) {
            row[i] = switch (kind) {
              case 0 -> (float) Math.abs(rng.nextGaussian() * 0.02); // continuous, like |w|
              case 1 -> rng.nextInt(40) * 0.125f;                    // heavy ties at every threshold
              case 2 -> r == 30 ? 1000f + rng.nextInt(9) : (float) rng.nextGaussian(); // a jump: window misses
              default -> rng.nextInt(8) == 0 ? (rng.nextBoolean() ? 3e38f : -3e38f) : (float) rng.nextGaussian();
            };
          }
          double s = 0.37;
          int k = (int) MaskSelector.prunedCount(width, s);
          float[] m = new float[width];
          assertTrue(sel.mask(row, 0, width, k, mode == ThresholdMode.EXACT, m));
          assertArrayEquals(bruteForce(row, s, mode), m, "kind " + kind + " row " + r);
        }
        if (kind < 3) { // kind 3 spans more keys than an int difference holds: the histogram path must take it
          assertTrue(sel.windowedRanges >= rows / 2, "kind " + kind + ": only " + sel.windowedRanges + " one-pass rows");
        }
      }
    }
  }

  @Test
  void nanInALargeRowScopedTensorIsRejectedAtItsFirstIndex() {
    float[] v = new float[150 * 2000]; // rows long enough for the one-pass window path
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 7;
    }
    v[123_456] = Float.NaN;
    v[250_000] = Float.NaN;
    Map<String, Tensor> scores = new LinkedHashMap<>();
    scores.put("a.weight", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
    scores.put("b.weight", Tensor.of(v, 150, 2000));
    for (Scope scope : new Scope[] {Scope.ROW, Scope.LAYER}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MaskSelector.select(scores, 0.5, scope, ThresholdMode.EXACT));
      assertTrue(e.getMessage().contains("'b.weight' is NaN at index 123456"), e.getMessage());
    }
  }

  @Test
  void exactSelectionWithZeroPrunedStillRejectsNaN() {
    Map<String, Tensor> scores = Map.of("fc.weight", Tensor.of(new float[] {1, 2, Float.NaN}, 1, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MaskSelector.select(scores, 0.1, Scope.ROW, ThresholdMode.EXACT));
    assertTrue(e.getMessage().contains("'fc.weight' is NaN at index 2"), e.getMessage());
  }

  @Test
  void globalSelectionMatchesStableSortOverTheConcatenation() {
    SplittableRandom rng = new SplittableRandom(13);
    int[] sizes = {7, 300, 1, 2000};
    Map<String, Tensor> scores = new LinkedHashMap<>();
    List<float[]> parts = new ArrayList<>();
    int total = 0;
    for (int i = 0; i < sizes.length; i++) {
      float[] v = random(rng, sizes[i]);
      parts.add(v);
      scores.put("n" + i + ".weight", Tensor.of(v, sizes[i]));
      total += sizes[i];
    }
    float[] all = new float[total];
    int off = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, all, off, p.length);
      off += p.length;
    }
    for (double s : SPARSITIES) {
      for (ThresholdMode mode : ThresholdMode.values()) {
        float[] expected = bruteForce(all, s, mode);
        MaskSet m = MaskSelector.select(scores, s, Scope.GLOBAL, mode);
        off = 0;
        for (int i = 0; i < sizes.length; i++) {
          assertArrayEquals(Arrays.copyOfRange(expected, off, off + sizes[i]), m.mask("n" + i + ".weight").data(),
              "tensor " + i + " s=" + s + " " + mode);
          off += sizes[i];
        }
      }
    }
  }

  @Test
  void quickselectAndRadixSelectAgreeWithSorting() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] v = random(rng, 5000);
    v[10] = Float.NEGATIVE_INFINITY;
    v[20] = Float.POSITIVE_INFINITY;
    v[30] = Float.MIN_VALUE;
    v[40] = -Float.MAX_VALUE;
    float[] sorted = v.clone();
    Arrays.sort(sorted);
    for (int k : new int[] {0, 1, 2, 17, 2499, 2500, 4998, 4999}) {
      assertEquals(sorted[k], Selection.kthSmallest(v.clone(), 0, v.length, k), 0f, "quickselect k=" + k);
      assertEquals(sorted[k], Selection.kthSmallest(List.of(Arrays.copyOf(v, 1234), Arrays.copyOfRange(v, 1234, 5000)),
          k), 0f, "radix k=" + k);
    }
  }

  @Test
  void quickselectSurvivesAllEqualAndSortedInputs() {
    float[] same = new float[10_000];
    Arrays.fill(same, 0.25f);
    assertEquals(0.25f, Selection.kthSmallest(same, 0, same.length, 5000));
    float[] asc = new float[10_000];
    for (int i = 0; i < asc.length; i++) {
      asc[i] = i;
    }
    assertEquals(1234f, Selection.kthSmallest(asc.clone(), 0, asc.length, 1234));
    float[] desc = new float[10_000];
    for (int i = 0; i < desc.length; i++) {
      desc[i] = -i;
    }
    assertEquals(-8765f, Selection.kthSmallest(desc, 0, desc.length, 1234));
  }

  @Test
  void nanScoreIsRejectedNamingTensorAndIndex() {
    Map<String, Tensor> scores = Map.of("fc.weight", Tensor.of(new float[] {1, Float.NaN, 2}, 1, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MaskSelector.select(scores, 0.5, Scope.LAYER, ThresholdMode.EXACT));
    assertTrue(e.getMessage().contains("'fc.weight' is NaN at index 1"), e.getMessage());
  }

  @Test
  void prunedCountIsFloorLikePython() {
    assertEquals(2, MaskSelector.prunedCount(4, 0.5));
    assertEquals(28, MaskSelector.prunedCount(100, 0.29)); // int(100 * 0.29) == 28 in Python as well
    assertEquals(0, MaskSelector.prunedCount(3, 0.3));
    assertEquals(1, MaskSelector.prunedCount(3, 0.5));
  }
}
