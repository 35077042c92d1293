package org.prunekit.criteria;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;

/**
 * Which parameters a pruning run scores and masks.
 *
 * <p>With no include list the targets are every {@link ParamRole#WEIGHT} parameter of every
 * {@link Linear} and {@link Conv} node. An include list replaces that default by the named nodes
 * (any node with a WEIGHT-role parameter, e.g. an attention block's projections). Excluded nodes are
 * then removed. Targets come out in graph order.
 *
 * @param includeNodes node names to prune instead of the default (empty = default)
 * @param excludeNodes node names never to prune
 */
public record Targets(Set<String> includeNodes, Set<String> excludeNodes) {
  /** Copies the sets and rejects a node that is both included and excluded. */
  public Targets {
    includeNodes = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(includeNodes, "includeNodes")));
    excludeNodes = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(excludeNodes, "excludeNodes")));
    for (String n : includeNodes) {
      if (excludeNodes.contains(n)) {
        throw new IllegalArgumentException("node '" + n + "' is both included and excluded");
      }
    }
  }

  /** Every WEIGHT parameter of Linear and Conv nodes. */
  public static Targets defaults() {
    return new Targets(Set.of(), Set.of());
  }

  /** Only the WEIGHT parameters of the named nodes. */
  public static Targets only(String... nodes) {
    return new Targets(Set.of(nodes), Set.of());
  }

  /** These targets without the named nodes. */
  public Targets excluding(String... nodes) {
    Set<String> ex = new LinkedHashSet<>(excludeNodes);
    ex.addAll(Arrays.asList(nodes));
    return new Targets(includeNodes, ex);
  }

  /**
   * The target parameters of {@code graph}, in graph order.
   *
   * @throws IllegalArgumentException naming an included or excluded node the graph lacks, an
   *     included node without a WEIGHT parameter, or saying that nothing is left to prune
   */
  public List<Parameter> resolve(Graph graph) {
    for (String n : excludeNodes) {
      if (!graph.hasNode(n)) {
        throw new IllegalArgumentException("excluded node '" + n + "' is not in the graph");
      }
    }
    for (String n : includeNodes) {
      if (!graph.hasNode(n)) {
        throw new IllegalArgumentException("included node '" + n + "' is not in the graph");
      }
      if (weights(graph.node(n)).isEmpty()) {
        throw new IllegalArgumentException("included node '" + n + "' (" + graph.node(n).op().type()
            + ") has no WEIGHT parameter to prune");
      }
    }
    List<Parameter> out = new ArrayList<>();
    for (Node n : graph.nodes()) {
      boolean chosen = includeNodes.isEmpty()
          ? (n.op() instanceof Linear || n.op() instanceof Conv)
          : includeNodes.contains(n.name());
      if (chosen && !excludeNodes.contains(n.name())) {
        out.addAll(weights(n));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no parameters to prune: " + (includeNodes.isEmpty()
          ? "the graph has no Linear or Conv weights" : "included nodes " + includeNodes)
          + (excludeNodes.isEmpty() ? "" : " after excluding " + excludeNodes));
    }
    return out;
  }

  private static List<Parameter> weights(Node n) {
    List<Parameter> w = new ArrayList<>();
    for (Parameter p : n.params().values()) {
      if (p.role() == ParamRole.WEIGHT) {
        w.add(p);
      }
    }
    return w;
  }
}
