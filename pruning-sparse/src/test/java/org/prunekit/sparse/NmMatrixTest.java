package org.prunekit.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NmMatrixTest {
  @Test
  void twoFourHandCase() {
    float[] w = {
      1, 2, 3, 4, 5, 6, 7, 8,
      9, 10, 11, 12, 13, 14, 15, 16};
    float[] mask = {
      0, 1, 0, 1, 1, 0, 0, 0,
      1, 1, 0, 0, 0, 0, 1, 1};
    NmMatrix m = NmMatrix.fromDense(w, mask, 2, 8, 2, 4);
    assertEquals(2, m.groupsPerRow());
    assertEquals(8, m.storedValues());
    // Row 0: group 0 keeps cols 1,3; group 1 keeps col 4 and one padding slot.
    assertEquals(2f, m.value(0));
    assertEquals(1, m.column(0));
    assertEquals(4f, m.value(1));
    assertEquals(3, m.column(1));
    assertEquals(5f, m.value(2));
    assertEquals(4, m.column(2));
    assertEquals(0f, m.value(3));
    // Row 1, group 1 keeps columns 6 and 7.
    assertEquals(15f, m.value(6));
    assertEquals(6, m.column(6));
    assertEquals(7, m.column(7));
    assertEquals(7, m.nonZeros());
    assertEquals(40, m.bytes());
    float[] masked = w.clone();
    for (int i = 0; i < w.length; i++) {
      masked[i] *= mask[i];
    }
    assertArrayEquals(masked, m.toDense());
  }

  @Test
  void partialLastGroup() {
    float[] w = {1, 0, 0, 0, 0, 6};
    NmMatrix m = NmMatrix.fromDense(w, null, 1, 6, 2, 4);
    assertEquals(2, m.groupsPerRow());
    assertEquals(5, m.column(2));
    assertArrayEquals(w, m.toDense());
  }

  @Test
  void patternViolationNamesRowAndGroup() {
    float[] w = {1, 1, 1, 1, 1, 1, 1, 0};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NmMatrix.fromDense(w, new float[] {1, 1, 0, 0, 1, 1, 1, 0}, 1, 8, 2, 4));
    assertTrue(e.getMessage().contains("row 0, group 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NmMatrix.fromDense(w, null, 1, 8, 3, 2));
  }
}
