package org.prunekit.criteria.calibration;

/** How {@link SequentialPruner} gathers the calibration statistics. */
public enum CalibrationMode {
  /**
   * Wanda's / SparseGPT's procedure: block by block, statistics from the calibration inputs as
   * transformed by the already <em>pruned</em> earlier blocks; prune the block, then re-run the
   * pruned block to produce the next block's inputs.
   */
  SEQUENTIAL,
  /**
   * One pass of the dense model: all statistics from the unpruned model, then every target pruned
   * at once (cheaper; earlier pruning errors are not seen by later layers).
   */
  DENSE
}
