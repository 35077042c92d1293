package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Objects;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Attention;

/**
 * Access to the inside of an {@link Attention} node for calibration: the input of its output
 * projection {@code o_weight}, which is not a value of the graph (the op fuses q/k/v projections,
 * RoPE, softmax attention and the o projection). Calibration-based criteria (Wanda, RIA,
 * SparseGPT) need the statistics of that input to score {@code o_weight}.
 *
 * <p>It runs the same kernel as execution, so the values are exactly those the o projection reads.
 */
public final class AttentionProbe {
  private AttentionProbe() {}

  /**
   * The attention context {@code [batch, seq, heads*headDim]} (the o projection's input) for input
   * {@code x} {@code [batch, seq, modelDim]} of {@code node}, in {@code x}'s manager (owned by the
   * caller).
   *
   * @param node an attention node
   * @param x the node's input
   * @param params the parameter arrays (e.g. {@link GraphExecutor#parameters()})
   * @throws IllegalArgumentException naming the node if it is not an attention node or {@code x}
   *     does not fit
   */
  public static NDArray outputProjectionInput(Node node, NDArray x, ParameterSource params) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(params, "params");
    if (!(node.op() instanceof Attention a)) {
      throw new IllegalArgumentException("node '" + node.name() + "' is " + node.op().type() + ", not attention");
    }
    NDManager parent = x.getManager();
    try (NDManager scope = parent.newSubManager()) {
      scope.tempAttachAll(x);
      NDArray ctx = AttentionKernel.context(node, a, x, params, scope);
      ctx.attach(parent);
      return ctx;
    }
  }
}
