/**
 * Mask shapes beyond "any element": the {@link org.prunekit.criteria.pattern.SparsityPattern}
 * choice carried by a {@link org.prunekit.criteria.PruningSpec}, the explicit {@link
 * org.prunekit.criteria.pattern.NmPattern} (keepN of groupM, with the reference "N pruned of M"
 * and NVIDIA "N kept of M" readings as named parsers), and {@link
 * org.prunekit.criteria.pattern.NmSelector}, which turns any criterion's scores into N:M masks.
 */
package org.prunekit.criteria.pattern;
