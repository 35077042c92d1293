package org.prunekit.analysis.simcert;

/**
 * Bounds on the output difference {@code Δ = f(x) - g(x)} over one box: per output linear forms
 * {@code lo_j(x) <= Δ_j(x) <= up_j(x)} ({@code null} = zero) and deterministic extremes.
 *
 * @param up upper forms {@code [c, e]}
 * @param lo lower forms {@code [a, b]}
 * @param cu deterministic upper bounds (worst case over the box)
 * @param cl deterministic lower bounds
 * @param symbolicVars number of symbolic input variables (0 for pure interval propagation)
 * @param unstableRelus ReLUs of either network whose input sign is not fixed on the box
 */
record DeltaBounds(double[][] up, double[][] lo, double[] cu, double[] cl, int symbolicVars, int unstableRelus) {}
