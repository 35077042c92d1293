/**
 * Structural pruning with targets users think in: group importance, channel ratios, parameter
 * and MAC budgets, and iterative prune → fine-tune.
 *
 * <p>Groups come from {@link org.prunekit.core.structure.DependencyGraph}; removal is {@link
 * org.prunekit.core.structure.PhysicalPruner}. This package decides <i>what</i> to remove:
 *
 * <ul>
 *   <li>{@link org.prunekit.criteria.structured.GroupImportance}: scores the units of a group,
 *       aggregated over all its members (per member the unit's slice is scored, then member scores
 *       are summed or averaged, {@link org.prunekit.criteria.structured.GroupReduction}). Built in:
 *       {@code l1} (sum |w|), {@code l2} (slice norm), {@code bn-scale} (|gamma| of BatchNorm
 *       members), {@code taylor} (|sum w * dL/dw| with mean calibration gradients), {@code random}.
 *   <li>{@link org.prunekit.criteria.structured.StructuredSpec}: the target (channel ratio removed,
 *       parameter or MAC fraction kept), local or global ranking, {@code roundTo}, max ratios,
 *       groups left alone.
 *   <li>{@link org.prunekit.criteria.structured.StructuredPruning#prune}: one call, returns a new
 *       graph, the plan and a {@link org.prunekit.criteria.structured.StructuredReport}.
 *   <li>{@link org.prunekit.criteria.structured.IterativeStructuredPruning}: the target in steps
 *       with a fine-tuner between them.
 * </ul>
 *
 * <h2>Width rule</h2>
 *
 * A group of {@code n} units at ratio {@code r} keeps {@code ceil(n * (1 - r))} units, rounded up
 * to a multiple of {@code roundTo}, at least {@code ceil(n * (1 - maxRatio))} (rounded up the same
 * way) and at least one unit; a group that would need more than {@code n} keeps {@code n}. So a
 * ratio never removes more than asked: 20 channels at 0.5 with {@code roundTo} 8 keep 16. Budgets
 * search the smallest ratio whose physically pruned graph meets the budget.
 *
 * <p>User guide: {@code docs/structured.md}.
 */
package org.prunekit.criteria.structured;
