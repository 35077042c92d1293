package org.prunekit.criteria;

/**
 * How the number of pruned elements in a group of {@code n} scores follows from the sparsity
 * {@code s}, with {@code k = floor(s * n)} (spec sections 0.3 and B1).
 */
public enum ThresholdMode {
  /**
   * Exactly {@code k} elements are pruned: the {@code k} lowest scores, ties broken by a stable
   * ascending order (among equal scores the lower index is pruned first; in {@link Scope#GLOBAL}
   * earlier targets come first). The default.
   */
  EXACT,
  /**
   * Reference-compatible: the score at 0-based sorted position {@code k} is the threshold and every
   * score {@code <=} it is pruned, i.e. {@code k + 1} elements, more on ties. Reproduces Wanda's
   * magnitude baseline, RIA's per-layer mode and Wanda's ViT "layer" granularity bit-exactly.
   * Note that even {@code s = 0} prunes the lowest score (and its ties), as the references do.
   */
  REFERENCE
}
