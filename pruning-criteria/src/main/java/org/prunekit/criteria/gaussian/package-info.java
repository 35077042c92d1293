/**
 * Max-blending-weight pruning of 3D Gaussian scenes (ReLaGS' "maximum weight pruning", spec
 * §3.10): every view of a set of pinhole cameras is alpha-composited front to back on the CPU,
 * each Gaussian's blending weight {@code w = alpha * T} is maxed over all pixels of all views, and
 * Gaussians whose maximum stays at or below a threshold are removed.
 *
 * <p>Entry points: {@link org.prunekit.criteria.gaussian.GaussianPruning#prune} (kept indices and
 * a report, input unchanged) and {@link org.prunekit.criteria.gaussian.MaxWeightRenderer} (the
 * per-Gaussian maximum weights themselves). Scenes are {@link
 * org.prunekit.criteria.gaussian.GaussianCloud}s of {@link
 * org.prunekit.criteria.gaussian.Gaussian3d}; views are {@link
 * org.prunekit.criteria.gaussian.PinholeCamera}s.
 */
package org.prunekit.criteria.gaussian;
