package org.prunekit.analysis.impact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.exec.ActivationStatistics;
import org.prunekit.core.exec.AttentionProbe;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Node;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.Targets;

/**
 * The pruning step of spec 3.9: Wanda ({@code |W_ij| * ||X_j||}), per output row, on every linear
 * layer of the transformer blocks (attention q/k/v/o projections and MLP fc1/fc2; the patch
 * embedding and the classifier stay dense), calibrated in one dense pass over patch images. It
 * works for graphs with several inputs (the ViT's patches and positions), which the criteria
 * module's one-pass calibration does not; the {@code o_weight} statistics come from {@link
 * AttentionProbe}.
 */
public final class ImpactPruning {
  private ImpactPruning() {}

  /**
   * Prunes the block weights of {@code model.graph()} in place (as masks).
   *
   * @param calibration calibration images (all used, in batches of 64)
   * @param sparsity fraction of each row to prune, in {@code [0, 1)}
   * @return the criteria module's result
   * @throws IllegalArgumentException for empty calibration, a bad sparsity, or a graph without
   *     circuit nodes; the graph is then unchanged
   */
  public static PruningResult wanda(PatchModel model, ImpactData calibration, double sparsity) {
    Objects.requireNonNull(model, "model");
    calibration.requireFits(model);
    CircuitNodes nodes = CircuitNodes.discover(model.graph());
    Set<String> targets = new LinkedHashSet<>();
    for (CircuitNodes.AttentionSite a : nodes.attention()) {
      targets.add(a.node());
    }
    for (CircuitNodes.MlpSite m : nodes.mlps()) {
      targets.add(m.fc1());
      targets.add(m.fc2());
    }
    PruningSpec spec = PruningSpec.builder().setCriterion("wanda").setSparsity(sparsity).optScope(Scope.ROW)
        .optTargets(new Targets(targets, Set.of())).build();
    return Pruning.prune(model.graph(), spec, ScoringInputs.ofNorms(squaredNorms(model, calibration, nodes)));
  }

  /**
   * Per-input-column sums of squares of the input of every block weight, by qualified name.
   */
  static Map<String, double[]> squaredNorms(PatchModel model, ImpactData data, CircuitNodes nodes) {
    Set<String> observed = new LinkedHashSet<>();
    for (CircuitNodes.AttentionSite a : nodes.attention()) {
      observed.add(a.node());
    }
    for (CircuitNodes.MlpSite m : nodes.mlps()) {
      observed.add(m.fc1());
      observed.add(m.fc2());
    }
    ActivationStatistics stats = new ActivationStatistics(n -> observed.contains(n.name()));
    Map<String, double[]> ctx = new HashMap<>();
    try (GraphExecutor ex = GraphExecutor.create(model.graph())) {
      ExecutionHook context = new ExecutionHook() {
        @Override
        public void onInputs(Node node, NDList inputs) {
          if (node.op() instanceof org.prunekit.core.graph.op.Attention) {
            try (NDArray c = AttentionProbe.outputProjectionInput(node, inputs.get(0), ex.parameters());
                NDArray s = c.square().sum(new int[] {0, 1})) {
              float[] v = s.toFloatArray();
              double[] acc = ctx.computeIfAbsent(node.name(), k -> new double[v.length]);
              for (int j = 0; j < v.length; j++) {
                acc[j] += v[j];
              }
            }
          }
        }
      };
      for (int from = 0; from < data.size(); from += 64) {
        int to = Math.min(data.size(), from + 64);
        try (NDManager call = ex.manager().newSubManager()) {
          NDList in = new NDList();
          for (Tensor t : model.inputs(data.batch(from, to))) {
            in.add(TensorConversions.toDjl(call, t));
          }
          ex.forward(in, List.of(stats, context)).close();
        }
      }
    }
    Map<String, double[]> out = new HashMap<>();
    for (CircuitNodes.AttentionSite a : nodes.attention()) {
      double[] in = stats.sumSquares(a.node());
      out.put(a.node() + ".q_weight", in);
      out.put(a.node() + ".k_weight", in.clone());
      out.put(a.node() + ".v_weight", in.clone());
      out.put(a.node() + ".o_weight", ctx.get(a.node()));
    }
    for (CircuitNodes.MlpSite m : nodes.mlps()) {
      out.put(m.fc1() + ".weight", stats.sumSquares(m.fc1()));
      out.put(m.fc2() + ".weight", stats.sumSquares(m.fc2()));
    }
    return out;
  }
}
