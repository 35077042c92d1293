/**
 * IMPACT: multi-level interpretability metrics for (sparse) vision transformers, after Zhang,
 * "Sparse but not Simpler" (arXiv 2603.15919); the exact definitions are the proposals of the
 * project's algorithm spec, section 3.9, written out in {@code docs/impact.md}.
 *
 * <ul>
 *   <li>Task circuits: {@link org.prunekit.analysis.impact.CircuitDiscovery} learns a sigmoid mask
 *       over attention heads and MLP neurons ({@link org.prunekit.analysis.impact.CircuitNodes}),
 *       binarises it ({@link org.prunekit.analysis.impact.NodeMask}) and counts the non-zero weights
 *       between active units ({@link org.prunekit.analysis.impact.CircuitEdges}).
 *   <li>Neurons: class selectivity index per layer ({@link
 *       org.prunekit.analysis.impact.NeuronSelectivity}).
 *   <li>Layer representations: a BatchTopK sparse autoencoder ({@link
 *       org.prunekit.analysis.impact.BatchTopKSae}, selection rule in {@link
 *       org.prunekit.analysis.impact.BatchTopK}).
 *   <li>Model-level attribution: Chefer-style ({@link org.prunekit.analysis.impact.CheferAttribution})
 *       or gradient x input patch attributions scored by insertion and deletion AUC ({@link org.prunekit.analysis.impact.InsertionDeletion}).
 *   <li>{@link org.prunekit.analysis.impact.ImpactAnalyzer} runs them all and returns an {@link
 *       org.prunekit.analysis.impact.ImpactReport} (JSON-serialisable).
 * </ul>
 *
 * <p>Models are {@link org.prunekit.analysis.impact.PatchModel}s: a graph whose input is a batch of
 * flattened image patches {@code [N, tokens, patchDim]} (e.g. {@link
 * org.prunekit.core.zoo.ModelZoo#vit}); data are {@link org.prunekit.analysis.impact.ImpactData}.
 */
package org.prunekit.analysis.impact;
