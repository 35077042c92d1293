package org.prunekit.criteria.structured;

import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.structure.StructuralPlan;

/**
 * The result of {@link StructuredPruning#prune}: a new, smaller graph, the plan applied (its groups
 * belong to the original graph), and the report.
 *
 * @param pruned the new graph; the original is unchanged
 * @param plan the removed units per group of the original graph
 * @param report what was removed and what it cost
 */
public record StructuredResult(Graph pruned, StructuralPlan plan, StructuredReport report) {
  /** Validates the fields. */
  public StructuredResult {
    Objects.requireNonNull(pruned, "pruned");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(report, "report");
  }
}
