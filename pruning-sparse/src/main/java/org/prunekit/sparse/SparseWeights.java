package org.prunekit.sparse;

/**
 * A compressed weight matrix {@code [rows, cols]} (rows = output features, cols = input features)
 * that the sparse kernels can multiply.
 */
public sealed interface SparseWeights permits CsrMatrix, NmMatrix {
  /** Number of rows (output features). */
  int rows();

  /** Number of columns (input features). */
  int cols();

  /** Number of stored values (for {@link NmMatrix}, padding slots included). */
  int storedValues();

  /** Number of non-zero stored values. */
  long nonZeros();

  /** Bytes of the compressed arrays (values, indices, row pointers). */
  long bytes();

  /** The dense matrix, row-major {@code [rows, cols]}, with zeros where nothing is stored. */
  float[] toDense();
}
