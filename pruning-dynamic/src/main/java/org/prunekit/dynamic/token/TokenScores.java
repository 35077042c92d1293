package org.prunekit.dynamic.token;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import org.prunekit.core.exec.ParameterSource;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Attention;

/**
 * The token-importance proxies of {@link TokenProxy}, computed with DJL from an attention node's
 * input and parameters. Results are {@code [batch, seq]} arrays in the input's manager.
 */
public final class TokenScores {
  private TokenScores() {}

  /**
   * V-norm: {@code mean_h ||V_{h,i}||_2} with {@code V = x W_v^T + b_v} split into kv heads.
   *
   * @param attention an attention node
   * @param x its input {@code [batch, seq, modelDim]}
   */
  public static NDArray valueNorm(Node attention, NDArray x, ParameterSource ps) {
    Attention a = attentionOp(attention);
    long[] s = x.getShape().getShape();
    NDArray v = project(attention, a, x, ps, "v");
    return v.reshape(s[0], s[1], a.numKvHeads(), a.headDim()).norm(new int[] {3}).mean(new int[] {2});
  }

  /**
   * Attention received by each token from the query rows {@code queryRows} (token indices; every
   * row when empty), averaged over heads and query rows.
   */
  public static NDArray attentionReceived(Node attention, NDArray x, ParameterSource ps, int[] queryRows) {
    Attention a = attentionOp(attention);
    long[] s = x.getShape().getShape();
    long rows = queryRows.length == 0 ? s[1] : queryRows.length;
    NDArray xq = queryRows.length == 0 ? x : gatherTokens(x, queryRows);
    NDArray q = project(attention, a, xq, ps, "q").reshape(s[0], rows, a.numHeads(), a.headDim()).transpose(0, 2, 1, 3);
    NDArray k = project(attention, a, x, ps, "k").reshape(s[0], s[1], a.numKvHeads(), a.headDim())
        .transpose(0, 2, 1, 3);
    if (a.groupSize() > 1) {
      k = k.repeat(1, a.groupSize());
    }
    NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).muli(1.0 / Math.sqrt(a.headDim())).softmax(3);
    return probs.mean(new int[] {2}).mean(new int[] {1});
  }

  /**
   * Extra MACs a proxy costs per sample on a sequence of {@code seq} tokens: V-norm {@code
   * seq*d*kvDim}; attention {@code rows*d*qDim + seq*d*kvDim + heads*rows*seq*headDim}.
   */
  public static long proxyMacs(TokenProxy proxy, Attention a, long seq, long queryRows) {
    long d = a.modelDim();
    long kv = (long) a.numKvHeads() * a.headDim();
    if (proxy == TokenProxy.V_NORM) {
      return seq * d * kv;
    }
    long rows = queryRows <= 0 ? seq : queryRows;
    return rows * d * a.numHeads() * a.headDim() + seq * d * kv + (long) a.numHeads() * rows * seq * a.headDim();
  }

  /** {@code x[:, rows, :]} for the same token indices in every sample. */
  static NDArray gatherTokens(NDArray x, int[] rows) {
    int batch = Math.toIntExact(x.getShape().get(0));
    int[][] perSample = new int[batch][];
    for (int b = 0; b < batch; b++) {
      perSample[b] = rows;
    }
    return gatherTokens(x, perSample);
  }

  /**
   * {@code out[b, j, :] = x[b, kept[b][j], :]}: each sample's own tokens (every row of {@code kept}
   * the same length), with DJL's {@code gather} (torch.gather).
   */
  public static NDArray gatherTokens(NDArray x, int[][] kept) {
    long[] s = x.getShape().getShape();
    int k = kept[0].length;
    long[] idx = new long[Math.toIntExact(s[0] * k * s[2])];
    int o = 0;
    for (int b = 0; b < s[0]; b++) {
      for (int j = 0; j < k; j++) {
        for (int d = 0; d < s[2]; d++) {
          idx[o++] = kept[b][j];
        }
      }
    }
    try (NDArray index = x.getManager().create(idx, new ai.djl.ndarray.types.Shape(s[0], k, s[2]))) {
      return x.gather(index, 1);
    }
  }

  /**
   * Bytes a proxy moves per sample: the input rows read, the projection weights and biases read,
   * the projections (and, for attention, the scores) written, 4 bytes each.
   */
  public static long proxyBytes(TokenProxy proxy, Attention a, long seq, long queryRows) {
    long d = a.modelDim();
    long kv = (long) a.numKvHeads() * a.headDim();
    long q = (long) a.numHeads() * a.headDim();
    long elems;
    if (proxy == TokenProxy.V_NORM) {
      elems = seq * d + d * kv + kv + seq * kv;
    } else {
      long rows = queryRows <= 0 ? seq : queryRows;
      elems = seq * d + d * (q + kv) + q + kv + rows * q + seq * kv + (long) a.numHeads() * rows * seq;
    }
    return 4 * elems;
  }

  private static NDArray project(Node node, Attention a, NDArray x, ParameterSource ps, String which) {
    NDArray w = ps.array(node.param(which + "_weight"));
    return a.bias() ? Linear.linear(x, w, ps.array(node.param(which + "_bias"))).singletonOrThrow()
        : Linear.linear(x, w).singletonOrThrow();
  }

  private static Attention attentionOp(Node n) {
    if (!(n.op() instanceof Attention a)) {
      throw new IllegalArgumentException("node '" + n.name() + "' is " + n.op().type() + ", not attention");
    }
    return a;
  }
}
