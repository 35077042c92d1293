package org.prunekit.criteria.structured;

import org.prunekit.core.structure.PruningGroup;

/**
 * Scores the units of a coupled {@link PruningGroup} (channels, neurons, heads, hidden
 * dimensions): lower scores are removed first. This is the structural counterpart of the
 * element-wise {@link org.prunekit.criteria.Criterion}; the two registries are separate.
 *
 * <p>Built-in importances score every member of the group (the producing weight rows, the norm
 * scales that follow, the consuming input columns of the next layers), then reduce over members
 * with the context's {@link GroupReduction}. See {@link MemberwiseImportance} and the package
 * documentation for each formula.
 *
 * <h2>How to add an importance</h2>
 *
 * <ol>
 *   <li>Implement this interface in a public class with a public no-argument constructor;
 *       extending {@link MemberwiseImportance} gives per-member slicing and reduction for free.
 *   <li>Register it: one line with the fully qualified class name in {@code
 *       META-INF/services/org.prunekit.criteria.structured.GroupImportance}.
 *   <li>Return a unique lower-case short name from {@link #name()}; {@link
 *       GroupImportances#byName(String)} then finds it.
 *   <li>Test the scores of a tiny graph against hand-computed values.
 * </ol>
 */
public interface GroupImportance {
  /** The short registry name, e.g. {@code "l1"}. */
  String name();

  /**
   * Scores every unit of {@code group}.
   *
   * @param group a group of {@code context.graph()}
   * @param context the graph, gradients, reduction and seed
   * @return a new array of {@code group.size()} finite scores
   * @throws IllegalArgumentException naming the group or parameter if the group cannot be scored
   *     (e.g. no BatchNorm member, a missing gradient)
   */
  double[] score(PruningGroup group, GroupScoringContext context);

  /** True if {@link #score} reads gradients (so calibration batches are required). */
  default boolean requiresGradients() {
    return false;
  }
}
