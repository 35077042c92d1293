package org.prunekit.core.structure;

import java.util.List;
import java.util.Map;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.RmsNorm;

/**
 * Rebuilds an op record for smaller inputs and parameters. Ops without sizes (activations,
 * pooling, add, concat, ...) come back unchanged.
 */
final class OpResizer {
  private OpResizer() {}

  /**
   * The op with sizes taken from the new input shapes and parameter shapes.
   *
   * @param node the node's name, for messages
   * @param op the original op
   * @param oldIn the original input shapes
   * @param newIn the input shapes after pruning
   * @param params the parameter shapes after pruning, by local name
   * @throws IllegalStateException if the op cannot take the new sizes (a rule bug, never user
   *     input: plans are validated before)
   */
  static Op resize(String node, Op op, List<Shape> oldIn, List<Shape> newIn, Map<String, Shape> params) {
    Shape x = newIn.get(0);
    if (op instanceof Linear l) {
      return new Linear(x.get(-1), params.get("weight").get(0), l.bias());
    } else if (op instanceof Conv c) {
      int in = x.get(1);
      int out = params.get("weight").get(0);
      int groups = c.groups();
      if (c.isDepthwise()) {
        groups = in;
      } else if (groups > 1 && in != c.inChannels()) {
        throw new IllegalStateException("node '" + node + "': grouped convolution lost input channels");
      }
      return new Conv(c.spatialDims(), in, out, c.kernel(), c.stride(), c.padding(), c.dilation(), groups, c.bias());
    } else if (op instanceof BatchNorm b) {
      return new BatchNorm(x.get(1), b.epsilon(), b.momentum());
    } else if (op instanceof LayerNorm ln) {
      return new LayerNorm(x.get(-1), ln.epsilon(), ln.affine());
    } else if (op instanceof RmsNorm r) {
      return new RmsNorm(x.get(-1), r.epsilon());
    } else if (op instanceof Embedding e) {
      return new Embedding(e.vocabSize(), params.get("weight").get(1));
    } else if (op instanceof Attention a) {
      int hd = a.headDim();
      return new Attention(x.get(-1), params.get("q_weight").get(0) / hd, params.get("k_weight").get(0) / hd, hd,
          a.causal(), a.ropeTheta(), a.bias());
    } else if (op instanceof Reshape r) {
      return reshape(node, r, oldIn.get(0), x);
    }
    return op;
  }

  private static Op reshape(String node, Reshape r, Shape oldIn, Shape newIn) {
    if (oldIn.equals(newIn)) {
      return r;
    }
    int[] t = r.target();
    if (t.length == 1) {
      return t[0] == -1 ? r : new Reshape(new int[] {Math.toIntExact(newIn.sizeFrom(1))});
    }
    int changed = -1;
    for (int i = 1; i < oldIn.rank(); i++) {
      if (oldIn.get(i) != newIn.get(i)) {
        if (changed >= 0) {
          throw new IllegalStateException("node '" + node + "': reshape input changed on several axes");
        }
        changed = i;
      }
    }
    if (t[changed - 1] != -1) {
      t[changed - 1] = newIn.get(changed);
    }
    return new Reshape(t);
  }
}
