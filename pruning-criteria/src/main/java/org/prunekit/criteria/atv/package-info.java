/**
 * ATV-Pruning (spec 3.4): asymmetric text/visual calibration for weight pruning of
 * vision-language decoders.
 *
 * <p>Per decoder layer: {@link org.prunekit.criteria.atv.VisualTokenSelector} streams the layer's
 * input and output hidden states of every calibration sample, with each token tagged text or
 * visual, and measures {@code d_i = 1 - cos(h_in_i, h_out_i)} per visual token; {@link
 * org.prunekit.criteria.atv.VisualTokenSelector#select(double)} then keeps, per sample, all text
 * tokens plus the {@code k_j} visual tokens with the largest {@code d_i} (Python half-even
 * rounding for {@code k_j}); {@link org.prunekit.criteria.atv.PooledInputNorms} streams each linear
 * sub-module's inputs and keeps the per-sample running mean of squared column norms over that
 * pool; {@link org.prunekit.criteria.atv.AtvCriterion} ({@code "atv"}) scores {@code |W| *
 * sqrt(scaler)} (Wanda form) from those norms, compared within output rows. {@link
 * org.prunekit.criteria.atv.AtvLayerCalibration} runs both passes on a real graph execution.
 */
package org.prunekit.criteria.atv;
