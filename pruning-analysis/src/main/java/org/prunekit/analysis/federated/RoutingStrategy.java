package org.prunekit.analysis.federated;

/** How the {@link RoutingPlanner} picks routes (and whether models are pruned). */
public enum RoutingStrategy {
  /**
   * D-FL: Dijkstra on edge weight {@code n_e / R_e + d_e / Q} (the spec's {@code 1/R_e} when
   * there is no sharing and no delay), then shared-link iteration; retention from the budget.
   */
  DFL,
  /** Fewest hops (BFS, lower client index first on ties); retention from the budget. */
  MIN_HOP,
  /** Widest path: maximise the bottleneck link rate; retention from the budget. */
  WIDEST,
  /** A random simple path per flow (Dijkstra on uniform random weights, seeded); retention from the budget. */
  RANDOM,
  /** D-FL's routes, but every model is sent whole ({@code rho = 1}); latency may exceed the budget. */
  UNPRUNED
}
