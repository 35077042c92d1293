package org.prunekit.criteria.calibration;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.exec.AttentionProbe;
import org.prunekit.core.exec.ConvProbe;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.ParameterSource;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.criteria.activation.InputNorms;

/**
 * Streamed calibration statistics of the <em>input of each target weight</em>, keyed by qualified
 * parameter name: per input column the sum of squares (Wanda's / RIA's {@code ||X_j||^2}) and,
 * optionally, the full {@code X^T X} ({@link GramMatrix}, for a {@link LayerReconstructor}).
 *
 * <p>Supported weights: a {@link Linear}'s {@code weight} (input: the node's input, last axis) and
 * the four projections of an {@link Attention} node: {@code q/k/v_weight} read the node's input,
 * {@code o_weight} reads the attention context, which is not a graph value and is recomputed with
 * {@link AttentionProbe} from the node's input and the executor's parameters; and an ungrouped
 * {@link Conv}'s {@code weight}, viewed {@code [C_out, C_in*K]}, whose input columns are the
 * im2col rows of the node's input ({@link ConvProbe}; exact per-column norms, not per-channel
 * approximations). Each distinct input
 * is reduced once on the engine per batch and added in double; nothing is kept between batches, so
 * memory is {@code O(in)} per weight ({@code O(in^2)} with Gram matrices).
 */
final class LayerStatistics implements ExecutionHook {
  private final ParameterSource params;
  private final boolean gram;
  /** node name -> (slot "in" or "ctx") -> weights reading that slot. */
  private final Map<String, Map<String, List<Parameter>>> slots = new HashMap<>();
  private final Map<String, double[]> sumSquares = new LinkedHashMap<>();
  private final Map<String, double[]> grams = new LinkedHashMap<>();
  private final Map<String, Long> tokens = new LinkedHashMap<>();

  /**
   * @param targets the weights to observe
   * @param nodes their nodes by name
   * @param params the executor's parameter arrays (for the attention context)
   * @param gram whether to accumulate {@code X^T X} too
   * @throws IllegalArgumentException naming a weight whose op is not supported
   */
  LayerStatistics(Collection<Parameter> targets, Map<String, Node> nodes, ParameterSource params, boolean gram) {
    this.params = Objects.requireNonNull(params, "params");
    this.gram = gram;
    for (Parameter p : targets) {
      Node n = nodes.get(p.nodeName());
      String slot = slotOf(n, p);
      slots.computeIfAbsent(n.name(), k -> new LinkedHashMap<>()).computeIfAbsent(slot, k -> new ArrayList<>()).add(p);
      sumSquares.put(p.qualifiedName(), null);
    }
  }

  /**
   * Which input of its node a weight multiplies.
   *
   * @throws IllegalArgumentException naming the weight if the op is not Linear or Attention
   */
  static String slotOf(Node n, Parameter p) {
    if (n.op() instanceof Linear && p.name().equals("weight")) {
      return "in";
    }
    if (n.op() instanceof Conv c && p.name().equals("weight")) {
      if (c.groups() != 1) {
        throw new IllegalArgumentException("calibration statistics for '" + p.qualifiedName() + "' of a grouped conv"
            + " (groups=" + c.groups() + ") are not supported: its output rows read different input columns");
      }
      return "im2col";
    }
    if (n.op() instanceof Attention) {
      switch (p.name()) {
        case "q_weight":
        case "k_weight":
        case "v_weight":
          return "in";
        case "o_weight":
          return "ctx";
        default:
          break;
      }
    }
    throw new IllegalArgumentException("calibration statistics for '" + p.qualifiedName() + "' of a "
        + n.op().type() + " node are not supported (Linear and ungrouped Conv weights and attention q/k/v/o "
        + "projections are)");
  }

  @Override
  public void onInputs(Node node, NDList inputs) {
    Map<String, List<Parameter>> s = slots.get(node.name());
    if (s == null) {
      return;
    }
    NDArray x = inputs.get(0);
    for (Map.Entry<String, List<Parameter>> e : s.entrySet()) {
      if (e.getKey().equals("ctx")) {
        try (NDArray ctx = AttentionProbe.outputProjectionInput(node, x.stopGradient(), params)) {
          accumulate(node, ctx, e.getValue());
        }
      } else if (e.getKey().equals("im2col")) {
        try (NDArray cols = ConvProbe.im2col(node, x)) {
          accumulate(node, cols, e.getValue());
        }
      } else {
        accumulate(node, x, e.getValue());
      }
    }
  }

  private void accumulate(Node node, NDArray x, List<Parameter> weights) {
    long[] shape = x.getShape().getShape();
    int width = Math.toIntExact(shape[shape.length - 1]);
    long n = width == 0 ? 0 : x.size() / width;
    float[] ss;
    float[] xtx = null;
    try (NDArray flat = x.stopGradient().reshape(n, width); NDArray sq = flat.square(); NDArray sum = sq.sum(
        new int[] {0})) {
      ss = sum.toFloatArray();
      if (gram) {
        try (NDArray t = flat.transpose(); NDArray g = t.matMul(flat)) {
          xtx = g.toFloatArray();
        }
      }
    }
    for (int j = 0; j < ss.length; j++) {
      if (!Float.isFinite(ss[j])) {
        throw new IllegalArgumentException("calibration input of node '" + node.name() + "' has a non-finite sum of"
            + " squares " + ss[j] + " in column " + j);
      }
    }
    for (Parameter p : weights) {
      String name = p.qualifiedName();
      double[] acc = sumSquares.get(name);
      if (acc == null) {
        acc = new double[width];
        sumSquares.put(name, acc);
      } else if (acc.length != width) {
        throw new IllegalArgumentException("input of '" + name + "' has " + width + " columns, earlier batches had "
            + acc.length);
      }
      for (int j = 0; j < width; j++) {
        acc[j] += ss[j];
      }
      tokens.merge(name, n, Long::sum);
      if (xtx != null) {
        double[] g = grams.computeIfAbsent(name, k -> new double[width * width]);
        for (int i = 0; i < g.length; i++) {
          g[i] += xtx[i];
        }
      }
    }
  }

  /**
   * The validated {@code ||X_j||^2} per observed weight.
   *
   * @throws IllegalArgumentException naming a weight that saw no tokens (empty calibration)
   */
  Map<String, double[]> squaredNorms() {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : sumSquares.entrySet()) {
      long t = tokens.getOrDefault(e.getKey(), 0L);
      if (e.getValue() == null) {
        throw new IllegalArgumentException("empty calibration for '" + e.getKey() + "': no tokens reached it");
      }
      out.put(e.getKey(), InputNorms.fromSumSquares(e.getKey(), e.getValue(), t));
    }
    return out;
  }

  /** The Gram matrix of weight {@code name} (only when constructed with {@code gram}). */
  GramMatrix gram(String name) {
    double[] g = grams.get(name);
    if (g == null) {
      throw new IllegalArgumentException("no Gram matrix for '" + name + "' (no tokens, or Gram not requested)");
    }
    return new GramMatrix(name, sumSquares.get(name).length, tokens.get(name), g);
  }
}
