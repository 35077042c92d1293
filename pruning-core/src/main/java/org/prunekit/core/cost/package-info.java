/**
 * Cost accounting for a {@link org.prunekit.core.graph.Graph} at a given input shape: multiply-
 * accumulates, element operations, dense and non-zero parameter counts and memory traffic in bytes,
 * per node and in total, in a dense view (what the shapes imply) and an effective view (zeroed or
 * masked weights skipped).
 *
 * <p>Entry point: {@link org.prunekit.core.cost.CostModel#of(org.prunekit.core.graph.Graph, int)}.
 * The counting rules are written out in {@code docs/accounting.md}.
 */
package org.prunekit.core.cost;
