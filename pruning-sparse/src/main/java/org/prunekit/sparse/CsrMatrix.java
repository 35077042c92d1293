package org.prunekit.sparse;

import java.util.Arrays;
import java.util.Objects;

/**
 * Compressed sparse rows (CSR) with narrow column indices.
 *
 * <p>Row {@code r} holds the values {@code values[rowPtr[r] .. rowPtr[r + 1])} at the columns
 * {@code column(k)} of the same range, in increasing column order. When {@code cols <= 65536} the
 * column indices are stored as unsigned 16-bit {@code char}s (6 bytes per non-zero instead of 8),
 * otherwise as {@code int}s. Immutable once built; the arrays are not exposed for writing.
 */
public final class CsrMatrix implements SparseWeights {
  /** The largest column count stored with 16-bit indices. */
  public static final int NARROW_LIMIT = 1 << 16;

  private final int rows;
  private final int cols;
  private final int[] rowPtr;
  private final char[] narrowCols;
  private final int[] wideCols;
  private final float[] values;

  private CsrMatrix(int rows, int cols, int[] rowPtr, char[] narrowCols, int[] wideCols, float[] values) {
    this.rows = rows;
    this.cols = cols;
    this.rowPtr = rowPtr;
    this.narrowCols = narrowCols;
    this.wideCols = wideCols;
    this.values = values;
  }

  /**
   * Compresses a dense row-major matrix, keeping the elements whose mask is 1 and whose value is
   * not zero (a kept zero contributes nothing).
   *
   * @param dense {@code [rows, cols]} row-major values
   * @param mask {@code [rows, cols]} 0/1 mask, or {@code null} to keep every non-zero
   * @param rows number of rows, positive
   * @param cols number of columns, positive
   * @throws IllegalArgumentException if a length does not match {@code rows * cols} or a mask
   *     value is not 0/1 (naming the index)
   */
  public static CsrMatrix fromDense(float[] dense, float[] mask, int rows, int cols) {
    Objects.requireNonNull(dense, "dense");
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("CSR needs positive rows and cols, got " + rows + "x" + cols);
    }
    long n = (long) rows * cols;
    if (dense.length != n) {
      throw new IllegalArgumentException("dense has " + dense.length + " values, expected " + rows + "x" + cols + " = " + n);
    }
    if (mask != null && mask.length != n) {
      throw new IllegalArgumentException("mask has " + mask.length + " values, expected " + rows + "x" + cols + " = " + n);
    }
    int nnz = 0;
    for (int i = 0; i < dense.length; i++) {
      if (mask != null && mask[i] != 0f && mask[i] != 1f) {
        throw new IllegalArgumentException("mask holds " + mask[i] + " at index " + i + "; masks hold 0 or 1");
      }
      if (kept(dense, mask, i)) {
        nnz++;
      }
    }
    int[] rowPtr = new int[rows + 1];
    boolean narrow = cols <= NARROW_LIMIT;
    char[] nc = narrow ? new char[nnz] : null;
    int[] wc = narrow ? null : new int[nnz];
    float[] vals = new float[nnz];
    int k = 0;
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        if (kept(dense, mask, base + c)) {
          if (narrow) {
            nc[k] = (char) c;
          } else {
            wc[k] = c;
          }
          vals[k++] = dense[base + c];
        }
      }
      rowPtr[r + 1] = k;
    }
    return new CsrMatrix(rows, cols, rowPtr, nc, wc, vals);
  }

  private static boolean kept(float[] dense, float[] mask, int i) {
    return (mask == null || mask[i] == 1f) && dense[i] != 0f;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  @Override
  public int storedValues() {
    return values.length;
  }

  @Override
  public long nonZeros() {
    return values.length;
  }

  /** True if column indices are stored as 16-bit {@code char}s. */
  public boolean narrowIndices() {
    return narrowCols != null;
  }

  /** Start of row {@code r} in the value array ({@code r == rows} gives the total). */
  public int rowStart(int r) {
    return rowPtr[r];
  }

  /** The column of stored value {@code k}. */
  public int column(int k) {
    return narrowCols != null ? narrowCols[k] : wideCols[k];
  }

  /** Stored value {@code k}. */
  public float value(int k) {
    return values[k];
  }

  @Override
  public long bytes() {
    long idx = narrowCols != null ? 2L * narrowCols.length : 4L * wideCols.length;
    return 4L * values.length + idx + 4L * rowPtr.length;
  }

  @Override
  public float[] toDense() {
    float[] d = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
        d[r * cols + column(k)] = values[k];
      }
    }
    return d;
  }

  // Package-private views for the kernels (never written).
  int[] rowPtr() {
    return rowPtr;
  }

  char[] narrowCols() {
    return narrowCols;
  }

  int[] wideCols() {
    return wideCols;
  }

  float[] values() {
    return values;
  }

  @Override
  public String toString() {
    return "CsrMatrix[" + rows + "x" + cols + ", nnz=" + values.length + ", density="
        + String.format(java.util.Locale.ROOT, "%.4f", values.length / ((double) rows * cols))
        + (narrowIndices() ? ", 16-bit indices]" : ", 32-bit indices]");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CsrMatrix m && rows == m.rows && cols == m.cols && Arrays.equals(rowPtr, m.rowPtr)
        && Arrays.equals(narrowCols, m.narrowCols) && Arrays.equals(wideCols, m.wideCols)
        && Arrays.equals(values, m.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rows, cols, Arrays.hashCode(rowPtr), Arrays.hashCode(values));
  }
}
