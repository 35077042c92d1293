/**
 * Recipes for pruning decoder language models block by block (the llama2.c graphs of {@code
 * org.prunekit.core.io.Llama2cReader}): which weights are targets, default scopes per criterion, and
 * SparseGPT wiring, on top of {@link org.prunekit.criteria.calibration.SequentialPruner}.
 */
package org.prunekit.criteria.llm;
