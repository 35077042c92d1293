/**
 * Sparse CPU execution of pruned weights.
 *
 * <p>A masked {@code Linear} weight ({@code [out, in]}, layout {@code OI}) or 1x1 convolution weight
 * is compressed into a {@link org.prunekit.sparse.CsrMatrix} (compressed sparse rows with 16-bit
 * column indices when {@code in <= 65536}) or an {@link org.prunekit.sparse.NmMatrix} (N:M, e.g.
 * 2:4, with one byte of position per kept value). {@link org.prunekit.sparse.SparseLinear} runs
 * {@code y = x W^T + b} with kernels split over output rows on a fixed number of threads: for a
 * batch it transposes the input so that each non-zero weight multiplies one vector of batch lanes
 * (Java Vector API, {@code jdk.incubator.vector}); without that module at run time the scalar
 * kernels are chosen (see {@link org.prunekit.sparse.VectorSupport}).
 * {@link org.prunekit.sparse.SparseGraphRunner} runs a whole masked graph of Linear, 1x1
 * convolution and element-wise nodes on these kernels.
 */
package org.prunekit.sparse;
