package org.prunekit.core.structure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.Graph;

/**
 * A set of parameter slices that must be removed together: removing unit {@code u} (a channel,
 * neuron, head or hidden dimension) removes, from every {@link #members() member}, the indices
 * that member maps {@code u} to.
 *
 * <p>Groups come from {@link DependencyGraph#build} and belong to the graph they were built from
 * ({@link #belongsTo}); a {@link StructuralPlan} refers to them. Equality is identity: two builds
 * give distinct groups.
 */
public final class PruningGroup {
  private final Graph graph;
  private final int id;
  private final String root;
  private final int size;
  private final List<GroupMember> members;
  private final List<Unprunable> blockers;
  private final List<String> notes;

  PruningGroup(Graph graph, int id, String root, int size, List<GroupMember> members,
      List<Unprunable> blockers, List<String> notes) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.id = id;
    this.root = Objects.requireNonNull(root, "root");
    this.size = size;
    this.members = List.copyOf(members);
    this.blockers = List.copyOf(blockers);
    this.notes = List.copyOf(notes);
  }

  /** The group's number within its {@link DependencyGraph}. */
  public int id() {
    return id;
  }

  /** What starts the group, e.g. {@code "conv1 output channels"} or {@code "attn heads"}. */
  public String root() {
    return root;
  }

  /** Number of prunable units (channels, neurons, heads or dimensions). */
  public int size() {
    return size;
  }

  /** The parameter slices, in graph order. */
  public List<GroupMember> members() {
    return members;
  }

  /** The member for parameter {@code qualifiedName} along {@code axis}, or {@code null}. */
  public GroupMember member(String qualifiedName, int axis) {
    for (GroupMember m : members) {
      if (m.parameter().equals(qualifiedName) && m.axis() == axis) {
        return m;
      }
    }
    return null;
  }

  /** True if no rule blocks removing units of this group. */
  public boolean isPrunable() {
    return blockers.isEmpty();
  }

  /** Why the group cannot be pruned (empty if it can). */
  public List<Unprunable> blockers() {
    return blockers;
  }

  /**
   * Caveats that do not block pruning, e.g. that a LayerNorm normalises over the group's axis, so
   * removal changes its statistics and outputs are not preserved exactly.
   */
  public List<String> notes() {
    return notes;
  }

  /** True if this group was built from {@code g} (the same instance). */
  public boolean belongsTo(Graph g) {
    return graph == g;
  }

  /** The members that belong to node {@code node}. */
  public List<GroupMember> membersOf(String node) {
    List<GroupMember> r = new ArrayList<>();
    for (GroupMember m : members) {
      if (m.node().equals(node)) {
        r.add(m);
      }
    }
    return r;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("group #").append(id).append(" '").append(root).append("': ").append(size).append(" units, ")
        .append(isPrunable() ? "prunable" : "NOT prunable").append('\n');
    int w = 8;
    for (GroupMember m : members) {
      w = Math.max(w, m.parameter().length());
    }
    for (GroupMember m : members) {
      sb.append(String.format("  %-" + w + "s axis %d %-3s %s%n", m.parameter(), m.axis(), m.direction(), m.mappingText()));
    }
    for (Unprunable b : blockers) {
      sb.append("  blocked by '").append(b.node()).append("': ").append(b.reason()).append('\n');
    }
    for (String n : notes) {
      sb.append("  note: ").append(n).append('\n');
    }
    return sb.toString();
  }
}
