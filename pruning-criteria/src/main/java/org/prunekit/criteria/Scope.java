package org.prunekit.criteria;

/** Which elements compete with each other when a sparsity is turned into a mask. */
public enum Scope {
  /** Each parameter separately: prune {@code floor(s * numel)} of every tensor (uniform layer-wise). */
  LAYER,
  /**
   * Each output row separately: prune {@code floor(s * rowLength)} of every row; a weight {@code
   * [out, in, k...]} is viewed as {@code [out, in*k...]} (Wanda's per-output comparison).
   */
  ROW,
  /** All targets together: one threshold over every score, {@code floor(s * total)} pruned. */
  GLOBAL
}
