package org.prunekit.core.cost;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Mul;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.RmsNorm;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;

/**
 * The per-op counting rules (MACs and element operations). Java 17 has no pattern switch, so the
 * dispatch is an {@code instanceof} chain ending in an error that names the node; {@link #COVERED}
 * lists the handled classes and a test checks it against {@code Op}'s permitted subclasses, so a
 * new op without a rule fails the build's tests.
 */
final class OpCosts {
  /** Every op class that has a rule here. */
  static final Set<Class<? extends Op>> COVERED =
      Set.of(Linear.class, Conv.class, BatchNorm.class, LayerNorm.class, RmsNorm.class, Embedding.class,
          Attention.class, Activation.class, Pool.class, GlobalPool.class, Flatten.class, Reshape.class,
          Add.class, Mul.class, Concat.class, Dropout.class, Identity.class, Lif.class, TimeEncode.class,
          TimeMean.class);

  /** Element operations of one LIF neuron per step: leak, integrate, compare, reset. */
  static final long LIF_OPS_PER_ELEMENT = 4;

  private OpCosts() {}

  /**
   * The work of {@code node}.
   *
   * @param in input shapes, batch first
   * @param out output shape
   * @param nonZero non-zero counts of the node's parameters by local name
   * @throws IllegalStateException naming the node if its op has no rule
   */
  static OpWork work(Node node, List<Shape> in, Shape out, Map<String, Long> nonZero) {
    Op op = node.op();
    if (op instanceof Linear l) {
      long tokens = in.get(0).size() / l.inFeatures();
      long macs = mul(tokens, l.inFeatures(), l.outFeatures());
      long eff = mul(tokens, nonZero.get("weight"));
      return new OpWork(macs, eff, l.bias() ? out.size() : 0, OpWork.Traffic.DENSE);
    }
    if (op instanceof Conv c) {
      // N * outSpatial positions, each using every weight element once: outC * inC/groups * prod(k).
      long positions = out.size() / c.outChannels();
      long weightNumel = node.param("weight").numel();
      long macs = mul(positions, weightNumel);
      long eff = mul(positions, nonZero.get("weight"));
      return new OpWork(macs, eff, c.bias() ? out.size() : 0, OpWork.Traffic.DENSE);
    }
    if (op instanceof Attention a) {
      return attention(a, in.get(0), nonZero);
    }
    if (op instanceof BatchNorm || op instanceof LayerNorm || op instanceof RmsNorm || op instanceof Activation) {
      return OpWork.elementwise(out.size());
    }
    if (op instanceof Embedding) {
      return new OpWork(0, 0, 0, OpWork.Traffic.GATHER);
    }
    if (op instanceof Pool p) {
      long window = 1;
      for (int k : p.kernel()) {
        window = mul(window, k);
      }
      return OpWork.elementwise(mul(out.size(), window));
    }
    if (op instanceof GlobalPool) {
      return OpWork.elementwise(in.get(0).size());
    }
    if (op instanceof Add || op instanceof Mul) {
      return OpWork.elementwise(mul(out.size(), in.size() - 1));
    }
    if (op instanceof Concat) {
      return OpWork.elementwise(0);
    }
    if (op instanceof Lif) {
      // Per neuron and step: leak (beta * U), integrate (+ I), threshold compare, reset.
      return OpWork.elementwise(mul(out.size(), LIF_OPS_PER_ELEMENT));
    }
    if (op instanceof TimeEncode) {
      return OpWork.elementwise(0); // a copy (repeat or transpose): bytes moved, no arithmetic
    }
    if (op instanceof TimeMean) {
      return OpWork.elementwise(in.get(0).size());
    }
    if (op instanceof Flatten || op instanceof Reshape || op instanceof Identity || op instanceof Dropout) {
      return OpWork.view();
    }
    throw new IllegalStateException(
        "node '" + node.name() + "': no cost rule for op type '" + op.type() + "' (" + op.getClass().getName()
            + "); add one to org.prunekit.core.cost.OpCosts");
  }

  private static OpWork attention(Attention a, Shape x, Map<String, Long> nonZero) {
    long batch = x.get(0);
    long seq = x.get(1);
    long tokens = mul(batch, seq);
    long d = a.modelDim();
    long q = (long) a.numHeads() * a.headDim();
    long kv = (long) a.numKvHeads() * a.headDim();
    long projections = add(mul(tokens, d, q), mul(2, tokens, d, kv), mul(tokens, q, d));
    long effProjections = mul(tokens, add(nonZero.get("q_weight"), nonZero.get("k_weight"),
        nonZero.get("v_weight"), nonZero.get("o_weight")));
    // QK^T and AV, per query head, full seq x seq (causal counted as full, see docs/accounting.md).
    long scores = mul(batch, a.numHeads(), seq, seq);
    long attn = mul(2, scores, a.headDim());
    long elementOps = scores; // softmax, one per score
    if (a.bias()) {
      elementOps = add(elementOps, mul(tokens, q + 2 * kv + d));
    }
    if (a.ropeTheta() > 0f) {
      elementOps = add(elementOps, mul(tokens, q + kv));
    }
    return new OpWork(add(projections, attn), add(effProjections, attn), elementOps, OpWork.Traffic.DENSE);
  }

  /** Sum with overflow detection. */
  static long add(long... terms) {
    long s = 0;
    for (long t : terms) {
      s = Math.addExact(s, t);
    }
    return s;
  }

  /** Product with overflow detection. */
  static long mul(long... factors) {
    long p = 1;
    for (long f : factors) {
      p = Math.multiplyExact(p, f);
    }
    return p;
  }
}
