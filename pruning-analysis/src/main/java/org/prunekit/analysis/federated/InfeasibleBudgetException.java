package org.prunekit.analysis.federated;

/**
 * No retention rate meets the latency budget for a client: its route's fixed delays alone use up
 * the budget, or the retention falls below the planner's minimum.
 */
public final class InfeasibleBudgetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String client;

  /** An exception for {@code client} with a detailed message. */
  public InfeasibleBudgetException(String client, String message) {
    super("latency budget infeasible for client '" + client + "': " + message);
    this.client = client;
  }

  /** The client whose budget cannot be met. */
  public String client() {
    return client;
  }
}
