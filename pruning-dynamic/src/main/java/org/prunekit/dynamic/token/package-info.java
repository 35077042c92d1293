/**
 * Dynamic token pruning for transformer encoders: {@link org.prunekit.dynamic.token.TokenPruner}
 * drops the least important tokens after a chosen block (V-norm or attention-score proxy, {@link
 * org.prunekit.dynamic.token.TokenProxy}), so later blocks run on a shorter sequence. The model is
 * a {@link org.prunekit.dynamic.token.TransformerModel} (encoder graph, readout, head graph), cut
 * into blocks by {@link org.prunekit.dynamic.token.TransformerLayout} and run segment by segment
 * with core's op kernels by {@link org.prunekit.dynamic.token.TransformerRunner}; exact work per
 * input comes from {@link org.prunekit.dynamic.token.TransformerCost}. {@link
 * org.prunekit.dynamic.token.ClsVit} builds a small ViT with a class token.
 */
package org.prunekit.dynamic.token;
