/**
 * The criterion plug-in contract and the one-call pruning facade.
 *
 * <p>Pruning is split in three independent steps so that every criterion combines with every
 * allocation:
 *
 * <ol>
 *   <li><b>Score</b> — a {@link org.prunekit.criteria.Criterion} turns one parameter (its weight,
 *       optional calibration statistics and gradients, bundled in a {@link
 *       org.prunekit.criteria.ScoringContext}) into a score tensor of the weight's shape; a lower
 *       score means less important.
 *   <li><b>Select</b> — {@link org.prunekit.criteria.select.MaskSelector} turns scores into 0/1
 *       masks for a sparsity, a {@link org.prunekit.criteria.Scope} (per layer, per output row,
 *       global) and a {@link org.prunekit.criteria.ThresholdMode}.
 *   <li><b>Apply</b> — {@link org.prunekit.core.mask.Masks#apply} attaches the masks all-or-nothing.
 * </ol>
 *
 * {@link org.prunekit.criteria.Pruning#prune} does all three from a {@link
 * org.prunekit.criteria.PruningSpec}. Criteria are found by short name with {@link
 * org.prunekit.criteria.Criteria#byName}: {@code "magnitude"}, {@code "wanda"}, {@code "ria"} and
 * {@code "lamp"} are built in ({@code org.prunekit.criteria.magnitude}, {@code .activation}, {@code
 * .lamp}); each picks its reference's scope when the spec gives none ({@link
 * org.prunekit.criteria.Criterion#defaultScope()}). {@code "taylor"} ({@code .taylor}, which also
 * holds the channel / neuron / head Taylor and AGF unit scores) and {@code "sparsegpt"} are
 * registered too; SparseGPT updates weights and runs through {@code
 * org.prunekit.criteria.sparsegpt.SparseGptPruning}. N:M masks come from {@code
 * org.prunekit.criteria.pattern}, LAMP's reference allocation from {@code
 * org.prunekit.criteria.lamp.LampAllocation}, gradual-pruning schedules from {@code
 * org.prunekit.criteria.schedule}.
 */
package org.prunekit.criteria;
