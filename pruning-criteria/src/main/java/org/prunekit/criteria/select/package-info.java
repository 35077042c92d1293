/**
 * Turning scores into masks: exact-count and reference-threshold selection per layer, per output
 * row and globally, with stable tie-breaking, using selection (histogram / radix select on
 * order-preserving integer keys, rows of large tensors in parallel) rather than full sorts.
 */
package org.prunekit.criteria.select;
