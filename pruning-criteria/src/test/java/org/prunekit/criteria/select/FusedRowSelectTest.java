package org.prunekit.criteria.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.ByteMask;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ThresholdMode;

/** The fused row selector equals the reference path (materialised scores + MaskSelector) bit for bit. */
class FusedRowSelectTest {
  private static final float[] PALETTE = {-2f, -1f, -0f, 0f, 0.5f, 1f, 2f, 3f};

  /** The reference: materialise |W| * c in float, then MaskSelector.rowMask. */
  private static float[] reference(float[] w, int rows, int cols, float[] c, double s, ThresholdMode mode) {
    float[] scores = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      scores[i] = c == null ? Math.abs(w[i]) : Math.abs(w[i]) * c[i % cols];
    }
    return MaskSelector.rowMask(Tensor.of(scores, rows, cols), s, mode).data();
  }

  private static void assertAllPathsEqual(float[] w, int rows, int cols, float[] c, double s, String what) {
    for (ThresholdMode mode : ThresholdMode.values()) {
      float[] want = reference(w, rows, cols, c, s, mode);
      Tensor t = Tensor.of(w.clone(), rows, cols);
      for (boolean vector : new boolean[] {false, true}) {
        for (boolean parallel : new boolean[] {false, true}) {
          float[] got = FusedRowSelect.rowMask("layer.weight", t, c, s, mode, vector, parallel).data();
          assertArrayEquals(want, got, what + " s=" + s + " " + mode + " vector=" + vector + " parallel=" + parallel);
          ByteMask bytes = FusedRowSelect.rowMaskBytes("layer.weight", t, c, s, mode, vector, parallel);
          assertEquals(t.shape(), bytes.shape());
          assertArrayEquals(want, bytes.toTensor().data(),
              what + " bytes s=" + s + " " + mode + " vector=" + vector + " parallel=" + parallel);
        }
      }
    }
  }

  private static float[] gaussian(SplittableRandom rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  private static float[] scales(SplittableRandom rng, int cols) {
    float[] c = new float[cols];
    for (int j = 0; j < cols; j++) {
      c[j] = (float) Math.sqrt(Math.pow(10, 2 * rng.nextDouble()));
    }
    return c;
  }

  @Test
  void randomLayersMatchReferenceForMagnitudeAndWandaScores() {
    SplittableRandom rng = new SplittableRandom(3);
    // Many rows (the window path), column counts with and without a vector tail, and a tiny width.
    int[][] shapes = {{300, 1024}, {257, 1000}, {64, 4099}, {40, 7}, {1, 33}};
    for (int[] sh : shapes) {
      float[] w = gaussian(rng, sh[0] * sh[1]);
      for (double s : new double[] {0, 0.1, 0.5, 0.7, 0.999}) {
        assertAllPathsEqual(w, sh[0], sh[1], null, s, "magnitude " + sh[0] + "x" + sh[1]);
        assertAllPathsEqual(w, sh[0], sh[1], scales(rng, sh[1]), s, "wanda " + sh[0] + "x" + sh[1]);
      }
    }
  }

  @Test
  void tieHeavyLayersMatchReference() {
    SplittableRandom rng = new SplittableRandom(5);
    int rows = 200;
    int cols = 515;
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = rng.nextInt(4) == 0 ? (float) rng.nextGaussian() : PALETTE[rng.nextInt(PALETTE.length)];
    }
    // Scales with zeros (all-zero scores in those columns), -0.0 and repeated values.
    float[] c = new float[cols];
    for (int j = 0; j < cols; j++) {
      c[j] = j % 7 == 0 ? 0f : j % 11 == 0 ? -0f : 1 + (j % 3);
    }
    for (double s : new double[] {0, 0.29, 0.5, 0.73}) {
      assertAllPathsEqual(w, rows, cols, null, s, "ties magnitude");
      assertAllPathsEqual(w, rows, cols, c, s, "ties wanda");
    }
    // Every weight equal: all ties, lower columns pruned first (EXACT).
    float[] same = new float[64 * 300];
    java.util.Arrays.fill(same, 0.25f);
    assertAllPathsEqual(same, 64, 300, null, 0.5, "constant");
    // Rows whose distributions jump (the window misses and recentres), with infinities.
    float[] jumpy = gaussian(rng, 128 * 600);
    for (int r = 0; r < 128; r++) {
      float f = (float) Math.pow(10, (r % 9) - 4);
      for (int j = 0; j < 600; j++) {
        jumpy[r * 600 + j] *= f;
      }
    }
    jumpy[5] = Float.POSITIVE_INFINITY;
    jumpy[601] = Float.NEGATIVE_INFINITY;
    assertAllPathsEqual(jumpy, 128, 600, null, 0.5, "jumpy");
  }

  @Test
  void handComputedRowMask() {
    // Row 0 scores |w| * c = [2, 0.5, 3, 0.5]: EXACT prunes the two 0.5; REFERENCE every score <= sorted[2] = 2.
    // Row 1 scores [1, 1, 1.5, 0.5]: EXACT prunes 0.5 and the first 1 (column 0); REFERENCE every score <= 1.
    float[] w = {-1, 0.25f, 1, -0.5f, 0.5f, -0.5f, 0.5f, 0.5f};
    float[] c = {2, 2, 3, 1};
    float[] got = FusedRowSelect.rowMask("fc.weight", Tensor.of(w, 2, 4), c, 0.5, ThresholdMode.EXACT).data();
    assertArrayEquals(new float[] {1, 0, 1, 0, 0, 1, 1, 0}, got);
    float[] ref = FusedRowSelect.rowMask("fc.weight", Tensor.of(w, 2, 4), c, 0.5, ThresholdMode.REFERENCE).data();
    assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0, 1, 0}, ref);
    assertArrayEquals(new byte[] {1, 0, 1, 0, 0, 1, 1, 0},
        FusedRowSelect.rowMaskBytes("fc.weight", Tensor.of(w, 2, 4), c, 0.5, ThresholdMode.EXACT).bytes());
    assertArrayEquals(new byte[] {0, 0, 1, 0, 0, 0, 1, 0},
        FusedRowSelect.rowMaskBytes("fc.weight", Tensor.of(w, 2, 4), c, 0.5, ThresholdMode.REFERENCE).bytes());
  }

  @Test
  void windowPathIsTakenOnSmoothRows() {
    if (!FusedRowSelect.vectorized()) {
      return; // the vector kernel is not loaded in this JVM; the other tests cover the scalar kernel
    }
    SplittableRandom rng = new SplittableRandom(9);
    int cols = 4096;
    float[] w = gaussian(rng, 100 * cols);
    VectorRowSelect k = new VectorRowSelect(cols);
    float[] m = new float[w.length];
    for (int r = 0; r < 100; r++) {
      assertTrue(k.row(w, null, r * cols, cols / 2, true, m));
    }
    assertTrue(k.windowedRows > 80, "window rows: " + k.windowedRows);
    assertArrayEquals(reference(w, 100, cols, null, 0.5, ThresholdMode.EXACT), m);
    VectorRowSelect kb = new VectorRowSelect(cols);
    byte[] mb = new byte[w.length];
    for (int r = 0; r < 100; r++) {
      assertTrue(kb.rowBytes(w, null, r * cols, cols / 2, true, mb));
    }
    assertTrue(kb.windowedRows > 80, "window rows (bytes): " + kb.windowedRows);
    assertArrayEquals(m, ByteMask.wrap(new org.prunekit.core.graph.Shape(100, cols), mb).toTensor().data());
  }

  @Test
  void badInputIsRejectedNamingTheParameter() {
    float[] w = {1, 2, 3, 4, 5, 6};
    IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
        () -> FusedRowSelect.rowMask("fc.weight", Tensor.of(w, 2, 3), new float[2], 0.5, ThresholdMode.EXACT));
    assertTrue(len.getMessage().contains("fc.weight"), len.getMessage());
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
        () -> FusedRowSelect.rowMask("fc.weight", Tensor.of(w, 2, 3), new float[] {1, -1, 1}, 0.5, ThresholdMode.EXACT));
    assertTrue(neg.getMessage().contains("column scale 1"), neg.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> FusedRowSelect.rowMask("fc.weight", Tensor.of(w, 2, 3), null, 1.0, ThresholdMode.EXACT));
    float[] nan = {1, 2, 3, 4, Float.NaN, 6};
    for (boolean vector : new boolean[] {false, true}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FusedRowSelect.rowMask(
          "fc.weight", Tensor.of(nan, 2, 3), null, 0.5, ThresholdMode.EXACT, vector, false));
      assertEquals("score for 'fc.weight' is NaN at index 4 (shape " + Tensor.of(nan, 2, 3).shape()
          + "); cannot rank NaN scores", e.getMessage());
      IllegalArgumentException eb = assertThrows(IllegalArgumentException.class, () -> FusedRowSelect.rowMaskBytes(
          "fc.weight", Tensor.of(nan, 2, 3), null, 0.5, ThresholdMode.EXACT, vector, false));
      assertEquals(e.getMessage(), eb.getMessage());
    }
  }
}
