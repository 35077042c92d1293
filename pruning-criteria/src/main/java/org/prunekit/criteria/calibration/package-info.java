/**
 * Calibration-based pruning: a seeded, hashed {@link
 * org.prunekit.criteria.calibration.CalibrationSet}, a graph cut into {@link
 * org.prunekit.criteria.calibration.BlockPartition blocks}, and {@link
 * org.prunekit.criteria.calibration.SequentialPruner}, which runs Wanda's layer-by-layer procedure
 * (statistics of each block gathered behind the already pruned earlier blocks) or one dense pass,
 * with any activation-aware criterion (Wanda, RIA) or a weight-updating {@link
 * org.prunekit.criteria.calibration.LayerReconstructor} (the hook for SparseGPT).
 */
package org.prunekit.criteria.calibration;
