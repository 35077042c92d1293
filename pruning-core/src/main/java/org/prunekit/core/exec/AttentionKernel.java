package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Attention;

/**
 * Multi-head self-attention: projections, rotary embedding, grouped-query heads, causal mask,
 * scaled dot-product softmax, output projection. Shapes: input {@code [B, S, modelDim]}, heads
 * {@code [B, H, S, headDim]}.
 */
final class AttentionKernel {
  private AttentionKernel() {}

  static NDArray forward(Node node, Attention a, NDArray x, ParameterSource ps, NDManager scope) {
    return project(node, ps, context(node, a, x, ps, scope), "o", a.bias());
  }

  /**
   * Everything before the output projection: the concatenated per-head attention outputs {@code
   * [B, S, heads*headDim]}, i.e. the input of {@code o_weight}.
   */
  static NDArray context(Node node, Attention a, NDArray x, ParameterSource ps, NDManager scope) {
    Shape xs = x.getShape();
    if (xs.dimension() != 3 || xs.get(2) != a.modelDim()) {
      throw new IllegalArgumentException(
          "node '" + node.name() + "': attention needs [batch, seq, " + a.modelDim() + "], got " + xs);
    }
    long batch = xs.get(0);
    long seq = xs.get(1);
    int hd = a.headDim();
    NDArray q = heads(project(node, ps, x, "q", a.bias()), batch, seq, a.numHeads(), hd);
    NDArray k = heads(project(node, ps, x, "k", a.bias()), batch, seq, a.numKvHeads(), hd);
    NDArray v = heads(project(node, ps, x, "v", a.bias()), batch, seq, a.numKvHeads(), hd);
    if (a.ropeTheta() > 0f) {
      NDArray[] cs = ropeTables(scope, seq, hd, a.ropeTheta());
      q = rope(q, cs[0], cs[1]);
      k = rope(k, cs[0], cs[1]);
    }
    if (a.groupSize() > 1) {
      // Each kv head serves groupSize consecutive query heads: repeat_interleave along the head
      // axis, so query head h meets kv head h / groupSize.
      k = k.repeat(1, a.groupSize());
      v = v.repeat(1, a.groupSize());
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).muli(1.0 / Math.sqrt(hd));
    if (a.causal()) {
      scores.addi(causalMask(scope, seq));
    }
    NDArray probs = scores.softmax(3);
    return probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, seq, (long) a.numHeads() * hd);
  }

  private static NDArray project(Node node, ParameterSource ps, NDArray x, String which, boolean bias) {
    NDArray w = OpKernels.param(node, ps, which + "_weight");
    return bias
        ? ai.djl.nn.core.Linear.linear(x, w, OpKernels.param(node, ps, which + "_bias")).singletonOrThrow()
        : ai.djl.nn.core.Linear.linear(x, w).singletonOrThrow();
  }

  /** {@code [B, S, H*hd]} to {@code [B, H, S, hd]}. */
  private static NDArray heads(NDArray p, long batch, long seq, int heads, int hd) {
    return p.reshape(batch, seq, heads, hd).transpose(0, 2, 1, 3);
  }

  /**
   * cos and sin tables {@code [S, hd/2]}: angle(p, i) = p * theta^(-2i/hd), computed in double
   * and rounded once to float.
   */
  static NDArray[] ropeTables(NDManager scope, long seq, int hd, float theta) {
    int half = hd / 2;
    float[] cos = new float[Math.toIntExact(seq * half)];
    float[] sin = new float[cos.length];
    for (int p = 0; p < seq; p++) {
      for (int i = 0; i < half; i++) {
        double angle = p * Math.pow(theta, -2.0 * i / hd);
        cos[p * half + i] = (float) Math.cos(angle);
        sin[p * half + i] = (float) Math.sin(angle);
      }
    }
    Shape s = new Shape(seq, half);
    return new NDArray[] {scope.create(cos, s), scope.create(sin, s)};
  }

  /** Rotates pairs (2i, 2i+1) of the last axis of {@code [B, H, S, hd]} by the tables' angles. */
  private static NDArray rope(NDArray t, NDArray cos, NDArray sin) {
    Shape s = t.getShape();
    long hd = s.get(3);
    NDArray pairs = t.reshape(s.get(0), s.get(1), s.get(2), hd / 2, 2);
    NDArray even = pairs.get(new NDIndex(":, :, :, :, 0"));
    NDArray odd = pairs.get(new NDIndex(":, :, :, :, 1"));
    NDArray re = even.mul(cos).subi(odd.mul(sin));
    NDArray ro = even.mul(sin).addi(odd.mul(cos));
    return NDArrays.stack(new NDList(re, ro), 4).reshape(s);
  }

  /** {@code [S, S]}: 0 on and below the diagonal, -inf above (key j after query i). */
  private static NDArray causalMask(NDManager scope, long seq) {
    int n = Math.toIntExact(seq);
    float[] m = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        m[i * n + j] = Float.NEGATIVE_INFINITY;
      }
    }
    return scope.create(m, new Shape(n, n));
  }
}
