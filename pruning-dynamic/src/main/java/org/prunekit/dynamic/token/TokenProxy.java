package org.prunekit.dynamic.token;

/** How token importance is estimated at the pruning block (spec §3.5 (f) and the attention-score baseline). */
public enum TokenProxy {
  /**
   * FlashU's V-norm proxy: {@code score_i = mean over kv heads of ||V_{h,i}||_2}, the L2 norm of
   * each token's value vector at the block's attention; needs no attention map (compatible with
   * fused attention kernels). Extra work: the value projection once more.
   */
  V_NORM,
  /**
   * Attention received: {@code score_i = mean over heads (and query rows) of softmax(q k^T /
   * sqrt(d))[query, i]}; the query rows are the protected tokens (the class token) when there are
   * any, else every token. Extra work: the query projection of those rows, the key projection and
   * the scores.
   */
  ATTENTION
}
