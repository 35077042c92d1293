package org.prunekit.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CsrMatrixTest {
  @Test
  void handCaseWithMaskAndEmptyRow() {
    float[] w = {
      1, 2, 3, 4,
      5, 6, 7, 8,
      0, 9, 0, 10};
    float[] mask = {
      1, 0, 1, 0,
      0, 0, 0, 0,
      1, 1, 0, 1};
    CsrMatrix m = CsrMatrix.fromDense(w, mask, 3, 4);
    assertEquals(3, m.rows());
    assertEquals(4, m.cols());
    // Row 2 keeps column 0 by mask but its value is 0: not stored.
    assertEquals(4, m.nonZeros());
    assertEquals(0, m.rowStart(0));
    assertEquals(2, m.rowStart(1));
    assertEquals(2, m.rowStart(2)); // row 1 empty
    assertEquals(4, m.rowStart(3));
    assertEquals(0, m.column(0));
    assertEquals(2, m.column(1));
    assertEquals(1, m.column(2));
    assertEquals(3, m.column(3));
    assertEquals(1f, m.value(0));
    assertEquals(3f, m.value(1));
    assertEquals(9f, m.value(2));
    assertEquals(10f, m.value(3));
    assertTrue(m.narrowIndices());
    // 4 values * 4 B + 4 indices * 2 B + 4 row pointers * 4 B
    assertEquals(16 + 8 + 16, m.bytes());
    assertArrayEquals(new float[] {1, 0, 3, 0, 0, 0, 0, 0, 0, 9, 0, 10}, m.toDense());
  }

  @Test
  void noMaskKeepsNonZeros() {
    CsrMatrix m = CsrMatrix.fromDense(new float[] {0, -2, 0, 0, 0, 3}, null, 2, 3);
    assertEquals(2, m.nonZeros());
    assertEquals(1, m.column(0));
    assertEquals(2, m.column(1));
    assertEquals(-2f, m.value(0));
  }

  @Test
  void wideIndicesBeyond65536Columns() {
    int cols = CsrMatrix.NARROW_LIMIT + 5;
    float[] w = new float[cols];
    w[0] = 1f;
    w[cols - 1] = 2f;
    CsrMatrix m = CsrMatrix.fromDense(w, null, 1, cols);
    assertFalse(m.narrowIndices());
    assertEquals(cols - 1, m.column(1));
    assertEquals(2 * 4 + 2 * 4 + 2 * 4, m.bytes());
    // The largest narrow column count still uses 16-bit indices, including column 65535.
    float[] w2 = new float[CsrMatrix.NARROW_LIMIT];
    w2[CsrMatrix.NARROW_LIMIT - 1] = 1f;
    CsrMatrix n = CsrMatrix.fromDense(w2, null, 1, CsrMatrix.NARROW_LIMIT);
    assertTrue(n.narrowIndices());
    assertEquals(65535, n.column(0));
  }

  @Test
  void badInputNamesTheProblem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CsrMatrix.fromDense(new float[] {1, 2, 3, 4}, new float[] {1, 0.5f, 1, 1}, 2, 2));
    assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CsrMatrix.fromDense(new float[5], null, 2, 2));
    assertTrue(e.getMessage().contains("2x2"), e.getMessage());
  }
}
