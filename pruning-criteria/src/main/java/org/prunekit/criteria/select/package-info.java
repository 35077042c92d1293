/**
 * Turning scores into masks: exact-count and reference-threshold selection per layer, per output
 * row and globally, with stable tie-breaking, using selection (quickselect / radix select) rather
 * than full sorts.
 */
package org.prunekit.criteria.select;
