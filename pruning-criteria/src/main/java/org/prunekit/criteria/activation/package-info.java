/**
 * Activation-aware criteria that weigh each weight by the calibration norm of its input column:
 * {@link org.prunekit.criteria.activation.WandaCriterion} ({@code "wanda"}, spec B2) and {@link
 * org.prunekit.criteria.activation.RiaCriterion} ({@code "ria"}, spec B3) with its N:M channel
 * reallocation {@link org.prunekit.criteria.activation.RiaReallocation}, plus {@link
 * org.prunekit.criteria.activation.InputNorms}, which validates and shapes the calibration
 * statistics (including how a conv's input channels map to the columns of its {@code [out,
 * in*k...]} view). The layer-by-layer calibration procedure that produces the statistics is not in
 * this package; it hands them over through {@link org.prunekit.criteria.ScoringInputs}.
 */
package org.prunekit.criteria.activation;
