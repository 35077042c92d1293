package org.prunekit.criteria.flashu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.structure.GroupMember;
import org.prunekit.core.structure.PhysicalPruner;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.structure.StructuralPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes FFN intermediate neurons the FlashU way (spec 3.5 (a)): score each neuron by its down
 * projection's column score, keep the top {@link FlashUFfnScores#keepCount} (a multiple of 64),
 * and physically remove the rest — rows of the up (and gate) projections, columns of the down
 * projection — through the {@link DependencyGraph} group the neurons belong to.
 *
 * <pre>{@code
 * ActivationStatistics stats = ...;           // forward passes over task calibration data
 * Map<String, double[]> sq = Map.of("down.weight", stats.sumSquares("down"));
 * FlashUFfnPruning.Result r = FlashUFfnPruning.prune(graph, List.of("down"), sq, 0.2);
 * Graph smaller = r.graph();
 * }</pre>
 *
 * <p>{@link #plan} turns given keep sets into a {@link StructuralPlan} for any caller that chose
 * neurons differently. FlashU keeps the pruned copies next to the full FFN (hybrid network, the
 * full FFN runs on the last denoising steps); here the smaller graph is a new graph and the
 * original stays unchanged, which gives the same pair.
 */
public final class FlashUFfnPruning {
  private static final Logger LOG = LoggerFactory.getLogger(FlashUFfnPruning.class);

  private FlashUFfnPruning() {}

  /**
   * The outcome.
   *
   * @param graph the new, smaller graph
   * @param scores per down node, the neuron scores
   * @param kept per down node, the kept neuron indices (ascending, original numbering)
   * @param plan the plan that was applied
   */
  public record Result(Graph graph, Map<String, double[]> scores, Map<String, int[]> kept, StructuralPlan plan) {
    /** Copies the maps. */
    public Result {
      Objects.requireNonNull(graph, "graph");
      scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
      kept = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kept));
      Objects.requireNonNull(plan, "plan");
    }
  }

  /**
   * Scores, selects and removes FFN neurons.
   *
   * @param graph the graph (unchanged)
   * @param downNodes the FFNs' down projections (Linear nodes reading the intermediate neurons)
   * @param squaredNorms per down weight ({@code node.weight}), {@code ||X_j||^2} of its input,
   *     summed over the task calibration tokens
   * @param ratio FlashU's {@code r_p}
   * @return the smaller graph and what was kept
   * @throws IllegalArgumentException naming the node or parameter at fault (not a Linear, norms
   *     missing or of the wrong width, neurons not removable); the graph is unchanged
   */
  public static Result prune(Graph graph, List<String> downNodes, Map<String, double[]> squaredNorms, double ratio) {
    Map<String, double[]> scores = new LinkedHashMap<>();
    Map<String, int[]> kept = new LinkedHashMap<>();
    for (String n : downNodes) {
      Parameter w = downWeight(graph, n);
      double[] sq = squaredNorms.get(w.qualifiedName());
      if (sq == null) {
        throw new IllegalArgumentException("FlashU FFN pruning needs calibration norms for '" + w.qualifiedName()
            + "'; given: " + squaredNorms.keySet());
      }
      double[] s = FlashUFfnScores.inputNeuronScores(w.qualifiedName(), w.value(), sq);
      int keep = FlashUFfnScores.keepCount(s.length, ratio);
      scores.put(n, s);
      kept.put(n, FlashUFfnScores.keepIndices(s, keep));
    }
    StructuralPlan plan = plan(graph, DependencyGraph.build(graph), kept);
    Graph smaller = PhysicalPruner.apply(graph, plan);
    LOG.info("FlashU FFN pruning at r_p={}: removed {} neuron(s) in {} FFN(s)", ratio, plan.unitsRemoved(),
        downNodes.size());
    return new Result(smaller, scores, kept, plan);
  }

  /**
   * A plan that removes every intermediate neuron not in its keep set.
   *
   * @param graph the graph {@code deps} was built from
   * @param deps its dependency graph
   * @param keepByDownNode per down-projection node, the neuron (input column) indices to keep
   * @throws IllegalArgumentException naming the node if it is not a Linear, an index is out of
   *     range, the neurons do not form one prunable group, a neuron's unit spans several columns
   *     that are kept only in part, or nothing would be kept
   */
  public static StructuralPlan plan(Graph graph, DependencyGraph deps, Map<String, int[]> keepByDownNode) {
    StructuralPlan.Builder b = StructuralPlan.builder();
    for (Map.Entry<String, int[]> e : keepByDownNode.entrySet()) {
      String node = e.getKey();
      Parameter w = downWeight(graph, node);
      String pname = w.qualifiedName();
      int width = w.shape().get(1);
      boolean[] keep = new boolean[width];
      for (int j : e.getValue()) {
        if (j < 0 || j >= width) {
          throw new IllegalArgumentException("keep index " + j + " of '" + node + "' is outside 0.." + (width - 1));
        }
        keep[j] = true;
      }
      PruningGroup group = deps.groupOf(pname, 1, 0);
      if (!group.isPrunable()) {
        throw new IllegalArgumentException("the neurons read by '" + node + "' (group '" + group.root()
            + "') cannot be removed: " + group.blockers());
      }
      GroupMember m = group.member(pname, 1);
      List<Integer> remove = new ArrayList<>();
      int covered = 0;
      for (int u = 0; u < m.units(); u++) {
        int[] cols = m.indices(u);
        covered += cols.length;
        int k = 0;
        for (int c : cols) {
          k += keep[c] ? 1 : 0;
        }
        if (k != 0 && k != cols.length) {
          throw new IllegalArgumentException("unit " + u + " of group '" + group.root() + "' spans columns "
              + Arrays.toString(cols) + " of '" + pname + "', which the keep set of '" + node + "' splits");
        }
        if (k == 0) {
          remove.add(u);
        }
      }
      if (covered != width) {
        throw new IllegalArgumentException("group '" + group.root() + "' covers " + covered + " of the " + width
            + " neurons read by '" + node + "'; they are not one removable group");
      }
      if (remove.size() == m.units()) {
        throw new IllegalArgumentException("keep set of '" + node + "' keeps no neuron");
      }
      b.remove(group, remove);
    }
    return b.build();
  }

  private static Parameter downWeight(Graph graph, String node) {
    Node n = null;
    for (Node x : graph.nodes()) {
      if (x.name().equals(node)) {
        n = x;
      }
    }
    if (n == null) {
      throw new IllegalArgumentException("graph has no node '" + node + "'");
    }
    if (!(n.op() instanceof Linear)) {
      throw new IllegalArgumentException("FFN down projection '" + node + "' is a " + n.op().getClass().getSimpleName()
          + ", not a Linear");
    }
    return graph.parameter(node + ".weight");
  }
}
