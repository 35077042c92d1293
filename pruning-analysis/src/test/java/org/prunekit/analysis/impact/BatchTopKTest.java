package org.prunekit.analysis.impact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchTopKTest {
  @Test
  void keepsLargestAcrossTheBatch() {
    // B=2, D=3, K=1: keep the 2 largest of all 6: 0.9 (index 1) and 0.95 (index 3); row 0 may
    // not keep its own best second value 0.5 and row 1 keeps one.
    float[] a = {0.5f, 0.9f, 0.1f, 0.95f, 0.2f, 0f};
    assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0}, BatchTopK.mask(a, 2, 3, 1));
    // K=1 but one row dominates: both kept values come from row 1
    float[] b = {0.1f, 0f, 0f, 0.8f, 0.7f, 0f};
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0}, BatchTopK.mask(b, 2, 3, 1));
  }

  @Test
  void tiesGoToLowerFlatIndex() {
    float[] a = {1f, 1f, 1f, 1f, 0f, 0f};
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0}, BatchTopK.mask(a, 2, 3, 1));
    float[] z = new float[6];
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0}, BatchTopK.mask(z, 2, 3, 1));
  }

  /** Spec test (3): exactly K*B non-zeros per batch when enough activations are positive. */
  @Test
  void exactlyKTimesBNonZeros() {
    Random r = new Random(3);
    int b = 16;
    int d = 40;
    int k = 5;
    float[] a = new float[b * d];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextFloat() + 1e-3f;
    }
    float[] m = BatchTopK.mask(a, b, d, k);
    int kept = 0;
    float minKept = Float.MAX_VALUE;
    float maxDropped = -1;
    for (int i = 0; i < a.length; i++) {
      if (m[i] == 1f) {
        kept++;
        minKept = Math.min(minKept, a[i]);
      } else {
        maxDropped = Math.max(maxDropped, a[i]);
      }
    }
    assertEquals(k * b, kept);
    assertTrue(minKept >= maxDropped);
  }

  @Test
  void badInput() {
    IllegalArgumentException big =
        assertThrows(IllegalArgumentException.class, () -> BatchTopK.mask(new float[6], 2, 3, 4));
    assertTrue(big.getMessage().contains("dictionary size"), big.getMessage());
    IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> BatchTopK.mask(new float[] {0, Float.NaN}, 1, 2, 1));
    assertTrue(nan.getMessage().contains("sample 0, feature 1"), nan.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BatchTopK.mask(new float[5], 2, 3, 1));
    assertThrows(IllegalArgumentException.class,
        () -> BatchTopKSae.builder().setDictionarySize(8).setK(9).build());
  }
}
