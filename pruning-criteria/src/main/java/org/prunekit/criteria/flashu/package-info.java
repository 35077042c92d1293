/**
 * FlashU's task-specific structured FFN pruning (spec 3.5 (a)): Wanda-style structured neuron
 * scores calibrated on task data ({@link org.prunekit.criteria.flashu.FlashUFfnScores}), a keep
 * count rounded down to a multiple of 64, and the removal of the dropped intermediate neurons of a
 * Linear-activation-Linear (or gated, SwiGLU) MLP through {@link
 * org.prunekit.core.structure.DependencyGraph} and {@link
 * org.prunekit.core.structure.PhysicalPruner} ({@link
 * org.prunekit.criteria.flashu.FlashUFfnPruning}). The generation-side schedules (hybrid FFN,
 * layer skipping, cache, guidance) are not in this package.
 */
package org.prunekit.criteria.flashu;
