/**
 * LAMP (spec B4): the layer-adaptive magnitude score {@link org.prunekit.criteria.lamp.LampScores},
 * the {@code "lamp"} criterion for the generic global pipeline, and {@link
 * org.prunekit.criteria.lamp.LampAllocation}, the reference's per-layer amount allocation (round
 * half to even, {@code >=} threshold, then per-layer magnitude pruning), which never empties a
 * layer.
 */
package org.prunekit.criteria.lamp;
