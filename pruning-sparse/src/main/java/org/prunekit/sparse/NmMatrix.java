package org.prunekit.sparse;

import java.util.Arrays;
import java.util.Objects;

/**
 * N:M structured sparsity (for example 2:4): along every row, each group of {@code m} consecutive
 * columns keeps at most {@code n} values.
 *
 * <p>Storage is fixed-size: every group has exactly {@code n} slots, each a float value and a
 * one-byte position inside the group ({@code 0 .. m-1}); groups with fewer kept values are padded
 * with zero values at position 0. No row pointers are needed: row {@code r}, group {@code g}, slot
 * {@code j} is at {@code (r * groupsPerRow + g) * n + j}. If {@code cols} is not a multiple of
 * {@code m}, the last group of a row is shorter. For 2:4 this is 5 bytes per slot, 2.5 bytes per
 * dense weight instead of 4.
 */
public final class NmMatrix implements SparseWeights {
  private final int rows;
  private final int cols;
  private final int n;
  private final int m;
  private final int groupsPerRow;
  private final float[] values;
  private final byte[] positions;

  private NmMatrix(int rows, int cols, int n, int m, float[] values, byte[] positions) {
    this.rows = rows;
    this.cols = cols;
    this.n = n;
    this.m = m;
    this.groupsPerRow = (cols + m - 1) / m;
    this.values = values;
    this.positions = positions;
  }

  /**
   * Compresses a dense row-major matrix whose kept elements (mask 1, or non-zero when there is no
   * mask) follow an N:M pattern.
   *
   * @param dense {@code [rows, cols]} row-major values
   * @param mask {@code [rows, cols]} 0/1 mask or {@code null}
   * @param rows number of rows, positive
   * @param cols number of columns, positive
   * @param n kept values per group, {@code 1 <= n <= m}
   * @param m group size, {@code 1 <= m <= 127}
   * @throws IllegalArgumentException if sizes do not match, or naming the first row and group that
   *     keeps more than {@code n} values
   */
  public static NmMatrix fromDense(float[] dense, float[] mask, int rows, int cols, int n, int m) {
    Objects.requireNonNull(dense, "dense");
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("N:M needs positive rows and cols, got " + rows + "x" + cols);
    }
    if (m < 1 || m > 127 || n < 1 || n > m) {
      throw new IllegalArgumentException("N:M needs 1 <= n <= m <= 127, got " + n + ":" + m);
    }
    long size = (long) rows * cols;
    if (dense.length != size || (mask != null && mask.length != size)) {
      throw new IllegalArgumentException("dense/mask lengths " + dense.length + "/" + (mask == null ? "-" : mask.length)
          + " do not match " + rows + "x" + cols);
    }
    int gpr = (cols + m - 1) / m;
    float[] vals = new float[rows * gpr * n];
    byte[] pos = new byte[vals.length];
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < gpr; g++) {
        int slot = (r * gpr + g) * n;
        int used = 0;
        int end = Math.min(cols, (g + 1) * m);
        for (int c = g * m; c < end; c++) {
          int i = r * cols + c;
          boolean keep;
          if (mask != null) {
            if (mask[i] != 0f && mask[i] != 1f) {
              throw new IllegalArgumentException("mask holds " + mask[i] + " at index " + i + "; masks hold 0 or 1");
            }
            keep = mask[i] == 1f;
          } else {
            keep = dense[i] != 0f;
          }
          if (keep) {
            if (used == n) {
              throw new IllegalArgumentException("row " + r + ", group " + g + " (columns " + g * m + ".." + (end - 1)
                  + ") keeps more than " + n + " of " + m + " values: not a " + n + ":" + m + " pattern");
            }
            vals[slot + used] = dense[i];
            pos[slot + used] = (byte) (c - g * m);
            used++;
          }
        }
      }
    }
    return new NmMatrix(rows, cols, n, m, vals, pos);
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  /** Kept values per group. */
  public int n() {
    return n;
  }

  /** Group size. */
  public int m() {
    return m;
  }

  /** Groups per row, {@code ceil(cols / m)}. */
  public int groupsPerRow() {
    return groupsPerRow;
  }

  @Override
  public int storedValues() {
    return values.length;
  }

  @Override
  public long nonZeros() {
    long nz = 0;
    for (float v : values) {
      if (v != 0f) {
        nz++;
      }
    }
    return nz;
  }

  /** Stored value in slot {@code s}. */
  public float value(int s) {
    return values[s];
  }

  /** Column of slot {@code s} (group start plus the stored position). */
  public int column(int s) {
    int g = (s / n) % groupsPerRow;
    return g * m + positions[s];
  }

  @Override
  public long bytes() {
    return 5L * values.length;
  }

  @Override
  public float[] toDense() {
    float[] d = new float[rows * cols];
    for (int s = 0; s < values.length; s++) {
      if (values[s] != 0f) {
        int r = s / (n * groupsPerRow);
        d[r * cols + column(s)] = values[s];
      }
    }
    return d;
  }

  float[] values() {
    return values;
  }

  byte[] positions() {
    return positions;
  }

  @Override
  public String toString() {
    return "NmMatrix[" + rows + "x" + cols + ", " + n + ":" + m + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NmMatrix x && rows == x.rows && cols == x.cols && n == x.n && m == x.m
        && Arrays.equals(values, x.values) && Arrays.equals(positions, x.positions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rows, cols, n, m, Arrays.hashCode(values));
  }
}
