package org.prunekit.sparse;

/**
 * Splits the output rows of a sparse matrix into contiguous ranges of about equal work (stored
 * values plus a constant per row for the output store), so that threads finish together even when
 * the mask leaves some rows much denser than others.
 */
final class RowPartition {
  private RowPartition() {}

  /**
   * Row boundaries {@code b[0] = 0 < ... < b[p] = rows} with at most {@code parts} ranges.
   *
   * @param w the matrix
   * @param parts the wanted number of ranges, positive
   */
  static int[] split(SparseWeights w, int parts) {
    int rows = w.rows();
    int p = Math.max(1, Math.min(parts, rows));
    long[] cum = new long[rows + 1];
    for (int r = 0; r < rows; r++) {
      cum[r + 1] = cum[r] + rowCost(w, r) + 4;
    }
    int[] b = new int[p + 1];
    int count = 1;
    int r = 0;
    for (int i = 1; i < p; i++) {
      long target = cum[rows] * i / p;
      while (r < rows && cum[r] < target) {
        r++;
      }
      if (r > b[count - 1] && r < rows) {
        b[count++] = r;
      }
    }
    b[count++] = rows;
    return java.util.Arrays.copyOf(b, count);
  }

  private static long rowCost(SparseWeights w, int r) {
    if (w instanceof CsrMatrix c) {
      return c.rowStart(r + 1) - c.rowStart(r);
    }
    NmMatrix nm = (NmMatrix) w;
    return (long) nm.groupsPerRow() * nm.n();
  }
}
