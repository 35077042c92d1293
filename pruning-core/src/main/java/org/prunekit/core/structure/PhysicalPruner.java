package org.prunekit.core.structure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link StructuralPlan} by building a new, smaller graph: ops with smaller sizes,
 * parameters with the removed slices cut out, masks cut the same way.
 *
 * <p>Everything is validated before anything is built, and the original graph is never changed:
 * its parameter values and masks are copied, not shared.
 */
public final class PhysicalPruner {
  private static final Logger LOG = LoggerFactory.getLogger(PhysicalPruner.class);

  private PhysicalPruner() {}

  /**
   * Builds the smaller graph.
   *
   * @param graph the graph the plan's groups were built from
   * @param plan the units to remove
   * @return a new graph; {@code graph} is unchanged
   * @throws IllegalArgumentException naming the group if it belongs to another graph or is not
   *     prunable, a unit is out of range, or every unit would go; naming the layer and parameter if
   *     a layer would lose all its channels
   */
  public static Graph apply(Graph graph, StructuralPlan plan) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(plan, "plan");
    Map<String, Map<Integer, SortedSet<Integer>>> cuts = cuts(graph, plan);
    Map<String, Shape> oldShapes = graph.inferShapes(1);
    Map<String, Shape> newShapes = new HashMap<>();
    for (InputSpec in : graph.inputs()) {
      newShapes.put(in.name(), oldShapes.get(in.name()));
    }
    List<Node> nodes = new ArrayList<>();
    for (Node n : graph.nodes()) {
      Map<String, Tensor> values = new LinkedHashMap<>();
      Map<String, Tensor> masks = new LinkedHashMap<>();
      Map<String, Shape> paramShapes = new HashMap<>();
      for (Parameter p : n.params().values()) {
        Map<Integer, SortedSet<Integer>> byAxis = cuts.getOrDefault(p.qualifiedName(), Map.of());
        Tensor v = p.value().copy();
        Tensor m = p.hasMask() ? p.mask().copy() : null;
        for (Map.Entry<Integer, SortedSet<Integer>> e : byAxis.entrySet()) {
          v = TensorSlicing.remove(v, e.getKey(), e.getValue());
          if (m != null) {
            m = TensorSlicing.remove(m, e.getKey(), e.getValue());
          }
        }
        values.put(p.name(), v);
        if (m != null) {
          masks.put(p.name(), m);
        }
        paramShapes.put(p.name(), v.shape());
      }
      List<Shape> oldIn = new ArrayList<>();
      List<Shape> newIn = new ArrayList<>();
      for (String i : n.inputs()) {
        oldIn.add(oldShapes.get(i));
        newIn.add(newShapes.get(i));
      }
      Op op;
      Node copy;
      try {
        op = OpResizer.resize(n.name(), n.op(), oldIn, newIn, paramShapes);
        copy = new Node(n.name(), op, n.inputs(), values);
        newShapes.put(n.name(), op.inferShape(n.name(), newIn));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("structural pruning produced an inconsistent node '" + n.name() + "': "
            + e.getMessage(), e);
      }
      for (Map.Entry<String, Tensor> e : masks.entrySet()) {
        copy.param(e.getKey()).setMask(e.getValue());
      }
      nodes.add(copy);
    }
    Graph smaller = new Graph(graph.inputs(), nodes, graph.outputs());
    if (LOG.isDebugEnabled()) {
      LOG.debug("structural plan removed {} units in {} groups: {} -> {} parameters", plan.unitsRemoved(),
          plan.removals().size(), count(graph), count(smaller));
    }
    return smaller;
  }

  /**
   * Validates the plan against {@code graph} and collects, per parameter and axis, the indices to
   * remove.
   */
  private static Map<String, Map<Integer, SortedSet<Integer>>> cuts(Graph graph, StructuralPlan plan) {
    Map<String, Map<Integer, SortedSet<Integer>>> cuts = new LinkedHashMap<>();
    for (Map.Entry<PruningGroup, SortedSet<Integer>> e : plan.removals().entrySet()) {
      PruningGroup g = e.getKey();
      SortedSet<Integer> units = e.getValue();
      if (!g.belongsTo(graph)) {
        throw new IllegalArgumentException("group '" + g.root() + "' (#" + g.id()
            + ") was built from another graph; build the groups of this graph with DependencyGraph.build");
      }
      if (!g.isPrunable()) {
        throw new IllegalArgumentException("group '" + g.root() + "' cannot be pruned: " + g.blockers());
      }
      if (units.first() < 0 || units.last() >= g.size()) {
        throw new IllegalArgumentException("group '" + g.root() + "' has units 0.." + (g.size() - 1)
            + ", plan removes " + (units.first() < 0 ? units.first() : units.last()));
      }
      if (units.size() >= g.size()) {
        throw new IllegalArgumentException("plan removes all " + g.size() + " units of group '" + g.root()
            + "'; at least one must stay");
      }
      for (GroupMember m : g.members()) {
        SortedSet<Integer> set = cuts.computeIfAbsent(m.parameter(), k -> new TreeMap<>())
            .computeIfAbsent(m.axis(), k -> new TreeSet<>());
        for (int u : units) {
          for (int i : m.indices(u)) {
            set.add(i);
          }
        }
      }
    }
    for (Map.Entry<String, Map<Integer, SortedSet<Integer>>> e : cuts.entrySet()) {
      Parameter p = graph.parameter(e.getKey());
      for (Map.Entry<Integer, SortedSet<Integer>> a : e.getValue().entrySet()) {
        int n = p.shape().get(a.getKey());
        if (a.getValue().size() >= n && n > 0) {
          throw new IllegalArgumentException("plan would remove all " + n + " entries along axis " + a.getKey()
              + " of '" + p.qualifiedName() + "', emptying layer '" + p.nodeName() + "'");
        }
      }
    }
    cuts.values().removeIf(m -> {
      m.values().removeIf(SortedSet::isEmpty);
      return m.isEmpty();
    });
    return cuts;
  }

  private static long count(Graph g) {
    long n = 0;
    for (Parameter p : g.parameters()) {
      n += p.numel();
    }
    return n;
  }
}
