/**
 * SparseGPT (spec B8): one-shot pruning with error compensation, the only method here that
 * updates the surviving weights.
 *
 * <ul>
 *   <li>{@link org.prunekit.criteria.sparsegpt.HessianAccumulator} streams a layer's calibration
 *       inputs into {@code H = 2 X^T X / n} with {@code in x in} doubles of memory;
 *   <li>{@link org.prunekit.criteria.sparsegpt.SparseGpt} is the self-contained layer operation
 *       (weight + Hessian in, updated weight + mask out), unstructured or N:M;
 *   <li>{@link org.prunekit.criteria.sparsegpt.SparseGptPruning} applies it to a graph's targets
 *       all-or-nothing, for specs naming {@link org.prunekit.criteria.sparsegpt.SparseGptCriterion}
 *       ({@code "sparsegpt"}).
 * </ul>
 */
package org.prunekit.criteria.sparsegpt;
