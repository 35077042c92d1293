package org.prunekit.criteria.structured;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.prunekit.core.graph.Graph;

/**
 * The result of {@link IterativeStructuredPruning#run}.
 *
 * @param graph the final (pruned and fine-tuned) graph
 * @param steps each step's result, in order (a step that had nothing to remove is still listed)
 * @param paramsBefore dense parameters of the original graph
 * @param paramsAfter dense parameters of the final graph
 * @param macsBefore dense MACs per sample of the original graph
 * @param macsAfter dense MACs per sample of the final graph
 */
public record IterativeResult(Graph graph, List<StructuredResult> steps, long paramsBefore, long paramsAfter,
    long macsBefore, long macsAfter) {
  /** Validates and copies. */
  public IterativeResult {
    Objects.requireNonNull(graph, "graph");
    steps = List.copyOf(steps);
  }

  /** {@code macsAfter / macsBefore}. */
  public double macFractionKept() {
    return macsBefore == 0 ? 1 : (double) macsAfter / macsBefore;
  }

  /** {@code paramsAfter / paramsBefore}. */
  public double paramFractionKept() {
    return paramsBefore == 0 ? 1 : (double) paramsAfter / paramsBefore;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d steps: parameters %,d -> %,d (%.1f%% kept), MACs %,d -> %,d (%.1f%% kept)",
        steps.size(), paramsBefore, paramsAfter, 100 * paramFractionKept(), macsBefore, macsAfter,
        100 * macFractionKept());
  }
}
