package org.prunekit.criteria.calibration;

import org.prunekit.core.graph.Parameter;
import org.prunekit.criteria.PruningSpec;

/**
 * A pruning method that chooses the mask <em>and updates the surviving weights</em> of one layer
 * from its calibration inputs, such as SparseGPT (spec B8): the hook through which {@link
 * SequentialPruner} runs such methods block by block.
 *
 * <p>Contract: for every target weight of a block, the pruner runs the calibration inputs through
 * the (not yet pruned) block, accumulates the weight's {@link GramMatrix} {@code X^T X} (SparseGPT's
 * {@code H = 2 X^T X / n} up to its factor), and calls {@link #reconstruct}. It validates every
 * returned {@link Reconstruction} of the block (shapes, finite values, 0/1 mask, pruned entries
 * zero) and only then installs them; the pruned block is then re-run to produce the next block's
 * inputs, exactly as Wanda's {@code prune_sparsegpt} does.
 *
 * <p>An implementation must not modify {@code weight} (its value or mask) nor the Gram matrix; it
 * returns new tensors. It reads the target sparsity and the pattern ({@link PruningSpec#sparsity()},
 * {@link PruningSpec#pattern()}) from {@code spec}; the spec's criterion is not used.
 */
public interface LayerReconstructor {
  /** Short name recorded in the provenance (e.g. {@code "sparsegpt"}). */
  String name();

  /**
   * Prunes and reconstructs one weight.
   *
   * @param weight the weight (shape {@code [out, in]}), with its current value and any mask
   * @param gram {@code X^T X} of the weight's calibration inputs, {@code [in, in]}
   * @param spec sparsity and pattern to reach
   * @return the new value and mask
   * @throws IllegalArgumentException naming the weight if it cannot be reconstructed
   */
  Reconstruction reconstruct(Parameter weight, GramMatrix gram, PruningSpec spec);
}
