package org.prunekit.sparse;

/** The compressed layout a {@link SparseLinear} stores its weight in. */
public enum SparseFormat {
  /** {@link CsrMatrix}: any unstructured mask; 16-bit column indices when {@code in <= 65536}. */
  CSR,
  /** {@link NmMatrix}: masks with at most N kept values in every M consecutive inputs (e.g. 2:4). */
  NM
}
