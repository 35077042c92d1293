package org.prunekit.analysis.federated;

/** How the aggregating client combines received (pruned) models with its own. */
public enum AggregationRule {
  /**
   * Per coordinate, the mean over the models that kept it (the aggregator's own model keeps
   * everything, so every coordinate has at least one value).
   */
  MASKED_MEAN,
  /**
   * Plain mean over all arrived models, pruned coordinates counting as 0: the biased estimate whose
   * error {@code ||w - m (.) w||^2} the D-FL convergence bound charges to each client.
   */
  ZERO_FILL
}
