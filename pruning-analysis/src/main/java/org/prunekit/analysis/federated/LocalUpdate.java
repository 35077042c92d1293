package org.prunekit.analysis.federated;

import org.prunekit.core.graph.Graph;

/** A client's local training step of one round: updates {@code model}'s parameter values in place. */
@FunctionalInterface
public interface LocalUpdate {
  /**
   * Trains {@code model} (which holds the current global model) on client {@code client}'s data.
   *
   * @param model the model to update in place
   * @param client the client's index in the communication graph
   * @param round the 0-based round
   */
  void update(Graph model, int client, int round);
}
