package org.prunekit.analysis.simcert;

/**
 * One compiled layer of a {@link DualNetwork}, acting on the flattened (row-major, batch 1)
 * activation vector. Both networks share the structure; only affine weights differ.
 */
sealed interface Layer permits Layer.Affine, Layer.Relu, Layer.MaxPool {
  /** Name of the graph node (of the original) this layer comes from. */
  String node();

  /** Output size. */
  int outSize();

  /**
   * An affine map {@code y_o = Σ_k w[o][k] x[idx[o][k]] + b[o]} for each network, over a shared
   * sparsity structure {@code idx}.
   */
  record Affine(String node, int inSize, int outSize, int[][] idx, double[][] wf, double[][] wg, double[] bf,
      double[] bg) implements Layer {}

  /** Element-wise ReLU. */
  record Relu(String node, int outSize) implements Layer {}

  /** Max over each window of input indices ({@code windows[o]}; padding positions are left out). */
  record MaxPool(String node, int outSize, int[][] windows) implements Layer {}
}
