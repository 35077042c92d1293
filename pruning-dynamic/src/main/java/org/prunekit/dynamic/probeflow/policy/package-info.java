/**
 * A real flow-matching action head to run ProbeFlow on: a small conditional MLP (a PruneKit {@link
 * org.prunekit.core.graph.Graph} executed and trained on DJL PyTorch) that maps the current
 * end-effector position of a robot to the next {@code H} velocities, trained with the
 * rectified-flow objective on kinesthetic demonstrations ({@link
 * org.prunekit.dynamic.probeflow.policy.KukaDemos} reads the KUKA LWR CSV files; the data are GPL and
 * are read from the shared data directory, never shipped).
 */
package org.prunekit.dynamic.probeflow.policy;
