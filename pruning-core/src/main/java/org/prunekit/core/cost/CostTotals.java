package org.prunekit.core.cost;

import java.util.List;

/**
 * The sums of every {@link NodeCost} field over a graph.
 *
 * @param macs dense multiply-accumulates
 * @param effectiveMacs multiply-accumulates with zero weights skipped
 * @param elementOps non-MAC element operations
 * @param params dense parameter count
 * @param nonZeroParams non-zero (and unmasked) parameter count
 * @param bytesRead dense bytes read
 * @param bytesWritten bytes written
 * @param effectiveBytesRead bytes read with only non-zero parameters fetched
 * @param sparseIndexBytes sparse-format index overhead estimate (not in {@code effectiveBytesRead})
 */
public record CostTotals(
    long macs,
    long effectiveMacs,
    long elementOps,
    long params,
    long nonZeroParams,
    long bytesRead,
    long bytesWritten,
    long effectiveBytesRead,
    long sparseIndexBytes) {

  /** Sums the nodes' figures (overflow raises {@link ArithmeticException}). */
  public static CostTotals sum(List<NodeCost> nodes) {
    long m = 0, em = 0, eo = 0, p = 0, nz = 0, r = 0, w = 0, er = 0, si = 0;
    for (NodeCost n : nodes) {
      m = Math.addExact(m, n.macs());
      em = Math.addExact(em, n.effectiveMacs());
      eo = Math.addExact(eo, n.elementOps());
      p = Math.addExact(p, n.params());
      nz = Math.addExact(nz, n.nonZeroParams());
      r = Math.addExact(r, n.bytesRead());
      w = Math.addExact(w, n.bytesWritten());
      er = Math.addExact(er, n.effectiveBytesRead());
      si = Math.addExact(si, n.sparseIndexBytes());
    }
    return new CostTotals(m, em, eo, p, nz, r, w, er, si);
  }

  /** {@code effectiveMacs / macs}, or 1 when there are no MACs. */
  public double effectiveMacFraction() {
    return macs == 0 ? 1.0 : (double) effectiveMacs / macs;
  }

  /** {@code nonZeroParams / params}, or 1 when there are no parameters. */
  public double density() {
    return params == 0 ? 1.0 : (double) nonZeroParams / params;
  }

  /** Dense bytes moved: {@code bytesRead + bytesWritten}. */
  public long bytesAccessed() {
    return bytesRead + bytesWritten;
  }

  /** Effective bytes moved: {@code effectiveBytesRead + bytesWritten}. */
  public long effectiveBytesAccessed() {
    return effectiveBytesRead + bytesWritten;
  }
}
