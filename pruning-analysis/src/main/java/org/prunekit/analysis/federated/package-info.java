/**
 * Decentralised federated learning with joint routing and pruning (D-FL, spec §3.8; the formulas
 * are the spec's PROPOSAL, documented in docs/federated.md).
 *
 * <p>A {@link org.prunekit.analysis.federated.CommunicationGraph} holds clients and undirected
 * {@link org.prunekit.analysis.federated.Link}s (rate in bit/s, fixed per-hop delay). The {@link
 * org.prunekit.analysis.federated.RoutingPlanner} gives every {@link
 * org.prunekit.analysis.federated.Flow} a route and a retention rate
 * {@code rho = min(1, (T_max - sum d_e) / (Q sum n_e / R_e))} so that a store-and-forward
 * transfer of {@code rho Q} bits meets the latency budget {@code T_max}; {@link
 * org.prunekit.analysis.federated.RoutingStrategy} picks D-FL routing (Dijkstra on {@code 1/R_e}
 * with shared-link iteration) or a baseline (min-hop, widest path, random, unpruned). {@link
 * org.prunekit.analysis.federated.FederatedSimulation} runs decentralised federated averaging of a
 * real model where each client prunes its model (magnitude) to its planned rate before sending.
 */
package org.prunekit.analysis.federated;
