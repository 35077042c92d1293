package org.prunekit.criteria.structured;

import org.prunekit.core.graph.Graph;

/**
 * Fine-tunes a pruned graph between the steps of {@link IterativeStructuredPruning}, e.g. a few
 * epochs with a DJL {@code Trainer} over a {@link org.prunekit.core.exec.GraphBlock} (see {@code
 * examples/.../ClassifierTraining}), copying the trained values back into the graph.
 */
@FunctionalInterface
public interface FineTuner {
  /**
   * Fine-tunes {@code graph} after pruning step {@code step} (1-based).
   *
   * @return the fine-tuned graph (may be {@code graph} itself, updated in place), never null
   */
  Graph fineTune(Graph graph, int step);
}
