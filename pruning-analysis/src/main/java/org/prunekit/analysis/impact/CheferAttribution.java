package org.prunekit.analysis.impact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.exec.GraphInterpreter;
import org.prunekit.core.exec.ParameterSource;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Chefer-style transformer attribution (Chefer, Gur and Wolf 2021, "Generic attention-model
 * explainability"; spec 3.9), computed with DJL autograd. For every attention block {@code b}, with
 * attention probabilities {@code A_b [H, S, S]} and their gradient {@code ∇A_b} with respect to the
 * target logit:
 *
 * <pre>
 *   Ā_b = mean_h ( ∇A_b ⊙ A_b )^+          R = I;  for b = 1..L:  R = R + Ā_b R
 * </pre>
 *
 * Choice for ViTs without a class token (the zoo's classifier reads every token): patch {@code j}'s
 * relevance is the column sum {@code Σ_i R[i, j]}, i.e. relevance to all output tokens.
 *
 * <p>The attention maps are not values of the graph (the {@link Attention} op is fused), so during
 * the pass each attention node's output is recomputed from its input with the same parameters and
 * the maps exposed (softmax of {@code q kᵀ / sqrt(headDim)} plus a zero leaf whose gradient is {@code
 * ∇A}); the recomputed output replaces the node's and is checked against it (an {@link
 * IllegalStateException} if they differ by more than {@code 1e-4} relative). Causal and rotary
 * attention are not supported.
 */
public final class CheferAttribution {
  private CheferAttribution() {}

  /**
   * Relevance {@code [N, T]} of every patch for each image's target class.
   *
   * @throws IllegalArgumentException if the graph has no attention node, uses causal or rotary
   *     attention, or sizes or targets do not fit
   */
  public static Tensor attributions(GraphExecutor ex, PatchModel model, Tensor patches, int[] targets) {
    Objects.requireNonNull(ex, "ex");
    Graph g = model.graph();
    List<Node> attention = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (n.op() instanceof Attention a) {
        if (a.causal() || a.ropeTheta() > 0f) {
          throw new IllegalArgumentException("Chefer attribution: attention '" + n.name()
              + "' is causal or rotary; only plain bidirectional attention is supported");
        }
        attention.add(n);
      }
    }
    if (attention.isEmpty()) {
      throw new IllegalArgumentException("Chefer attribution needs attention nodes; the graph has none");
    }
    Tensor[] inputs = model.inputs(patches);
    int n = patches.shape().get(0);
    int t = patches.shape().get(1);
    if (targets.length != n) {
      throw new IllegalArgumentException("Chefer attribution: " + targets.length + " targets for " + n + " images");
    }
    try (NDManager scope = DjlEnvironment.newManager()) {
      NDList in = new NDList();
      for (Tensor x : inputs) {
        in.add(TensorConversions.toDjl(scope, x));
      }
      Map<String, NDArray> nodeInput = new HashMap<>();
      Map<String, NDArray> maps = new HashMap<>();
      Map<String, NDArray> leaves = new HashMap<>();
      ParameterSource ps = ex.parameters();
      ExecutionHook expose = new ExecutionHook() {
        @Override
        public void onInputs(Node node, NDList inputs) {
          if (node.op() instanceof Attention) {
            nodeInput.put(node.name(), inputs.get(0));
          }
        }

        @Override
        public NDArray onOutput(Node node, NDArray output) {
          if (!(node.op() instanceof Attention a)) {
            return output;
          }
          return recompute(scope, g, node, a, nodeInput.get(node.name()), ps, output, maps, leaves);
        }
      };
      try (GradientCollector gc = DjlEnvironment.engine().newGradientCollector()) {
        NDArray logits = GraphInterpreter.run(g, in, ps, List.of(expose), false).head();
        int classes = (int) logits.getShape().get(1);
        float[] onehot = new float[n * classes];
        for (int i = 0; i < n; i++) {
          if (targets[i] < 0 || targets[i] >= classes) {
            throw new IllegalArgumentException("Chefer attribution: target " + targets[i] + " of image " + i
                + " is outside [0, " + classes + ")");
          }
          onehot[i * classes + targets[i]] = 1f;
        }
        gc.backward(logits.mul(scope.create(onehot, logits.getShape())).sum());
      }
      NDArray r = scope.eye(t).expandDims(0).repeat(0, n);
      for (Node node : attention) {
        NDArray a = maps.get(node.name());
        NDArray grad = leaves.get(node.name()).getGradient();
        NDArray abar = grad.mul(a).maximum(0f).mean(new int[] {1});
        r = r.add(abar.matMul(r));
      }
      float[] rel = r.sum(new int[] {1}).toFloatArray();
      return new Tensor(new Shape(n, t), rel);
    }
  }

  /** The attention output computed from its input with the probabilities exposed. */
  private static NDArray recompute(NDManager scope, Graph g, Node node, Attention a, NDArray x, ParameterSource ps,
      NDArray original, Map<String, NDArray> maps, Map<String, NDArray> leaves) {
    long b = x.getShape().get(0);
    long s = x.getShape().get(1);
    int hd = a.headDim();
    NDArray q = heads(project(g, node, ps, x, "q", a.bias()), b, s, a.numHeads(), hd);
    NDArray k = heads(project(g, node, ps, x, "k", a.bias()), b, s, a.numKvHeads(), hd);
    NDArray v = heads(project(g, node, ps, x, "v", a.bias()), b, s, a.numKvHeads(), hd);
    if (a.groupSize() > 1) {
      k = k.repeat(1, a.groupSize());
      v = v.repeat(1, a.groupSize());
    }
    NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(hd)).softmax(3);
    NDArray leaf = scope.zeros(probs.getShape());
    leaf.setRequiresGradient(true);
    NDArray ctx = probs.add(leaf).matMul(v).transpose(0, 2, 1, 3).reshape(b, s, (long) a.numHeads() * hd);
    NDArray out = project(g, node, ps, ctx, "o", a.bias());
    float diff = out.sub(original).abs().max().getFloat();
    float scale = original.abs().max().getFloat();
    if (!(diff <= 1e-4f * (1f + scale))) {
      throw new IllegalStateException("Chefer attribution: recomputed attention '" + node.name()
          + "' differs from the node's output by " + diff);
    }
    maps.put(node.name(), probs.stopGradient());
    leaves.put(node.name(), leaf);
    return out;
  }

  private static NDArray project(Graph g, Node node, ParameterSource ps, NDArray x, String which, boolean bias) {
    NDArray w = ps.array(g.parameter(node.name() + "." + which + "_weight"));
    return bias
        ? ai.djl.nn.core.Linear.linear(x, w, ps.array(g.parameter(node.name() + "." + which + "_bias"))).singletonOrThrow()
        : ai.djl.nn.core.Linear.linear(x, w).singletonOrThrow();
  }

  private static NDArray heads(NDArray p, long b, long s, int heads, int hd) {
    return p.reshape(b, s, heads, hd).transpose(0, 2, 1, 3);
  }
}
