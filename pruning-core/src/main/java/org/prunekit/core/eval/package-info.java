/**
 * Model evaluation on the graph executor: next-token negative log-likelihood of language models
 * ({@link org.prunekit.core.eval.NextTokenLoss}).
 */
package org.prunekit.core.eval;
