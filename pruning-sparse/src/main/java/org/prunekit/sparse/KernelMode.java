package org.prunekit.sparse;

/** Which kernel family a {@link SparseLinear} uses. */
public enum KernelMode {
  /** Vector API kernels when {@link VectorSupport#available()}, else scalar. */
  AUTO,
  /** Vector API kernels; building fails if {@code jdk.incubator.vector} is not in the boot layer. */
  VECTOR,
  /** Plain Java scalar kernels (the fallback, and the reference for tests). */
  SCALAR
}
