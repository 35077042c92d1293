/**
 * Turning scores into masks: exact-count and reference-threshold selection per layer, per output
 * row and globally, with stable tie-breaking, using selection (histogram / radix select on
 * order-preserving integer keys, rows of large tensors in parallel) rather than full sorts; and
 * {@link org.prunekit.criteria.select.FusedRowSelect}, per-row masks of {@code |W| * c} scores
 * (magnitude, Wanda) computed row by row without a score tensor (Vector API kernel when {@code
 * jdk.incubator.vector} is present), bit for bit equal to selecting on the scores.
 */
package org.prunekit.criteria.select;
