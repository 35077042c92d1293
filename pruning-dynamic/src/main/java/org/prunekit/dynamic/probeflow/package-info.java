/**
 * ProbeFlow: a training-free adaptive step count for flow-matching action heads (spec {@code
 * algorithms.md} §3.2), and the comparison solvers it is measured against.
 *
 * <p>A {@link org.prunekit.dynamic.probeflow.VelocityField} {@code v(x, t | condition)} is
 * integrated from noise at {@code t = 0} to an action chunk at {@code t = 1} by an {@link
 * org.prunekit.dynamic.probeflow.OdeSolver}: {@link org.prunekit.dynamic.probeflow.ProbeFlowSolver}
 * (one lookahead probe decides the Euler step count), {@link
 * org.prunekit.dynamic.probeflow.EulerSolver}, {@link org.prunekit.dynamic.probeflow.HeunSolver}
 * and the adaptive Dormand–Prince {@link org.prunekit.dynamic.probeflow.Rk45Solver}. Every call
 * returns a {@link org.prunekit.dynamic.probeflow.SolveResult} with the steps and network
 * evaluations actually spent and an {@link org.prunekit.dynamic.InferenceCost}. A real policy to
 * run them on lives in {@code org.prunekit.dynamic.probeflow.policy}.
 */
package org.prunekit.dynamic.probeflow;
