package org.prunekit.core.structure;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which units of which {@link PruningGroup}s to remove. Immutable; built with {@link #builder()}.
 *
 * <p>The builder checks what it can without the graph: the group is prunable, every unit index is
 * in range, and at least one unit of every group stays. {@link PhysicalPruner#apply} checks the
 * rest (the groups belong to the graph, no layer is emptied).
 */
public final class StructuralPlan {
  private final Map<PruningGroup, SortedSet<Integer>> removals;

  private StructuralPlan(Map<PruningGroup, SortedSet<Integer>> removals) {
    Map<PruningGroup, SortedSet<Integer>> m = new LinkedHashMap<>();
    for (Map.Entry<PruningGroup, SortedSet<Integer>> e : removals.entrySet()) {
      m.put(e.getKey(), Collections.unmodifiableSortedSet(new TreeSet<>(e.getValue())));
    }
    this.removals = Collections.unmodifiableMap(m);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Group to the sorted unit indices to remove, in the order groups were added. */
  public Map<PruningGroup, SortedSet<Integer>> removals() {
    return removals;
  }

  /** The units of {@code group} to remove (empty if the plan does not touch it). */
  public SortedSet<Integer> removed(PruningGroup group) {
    SortedSet<Integer> s = removals.get(group);
    return s == null ? Collections.emptySortedSet() : s;
  }

  /** True if nothing is removed. */
  public boolean isEmpty() {
    return removals.isEmpty();
  }

  /** Total number of units removed over all groups. */
  public int unitsRemoved() {
    int n = 0;
    for (SortedSet<Integer> s : removals.values()) {
      n += s.size();
    }
    return n;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("StructuralPlan{");
    boolean first = true;
    for (Map.Entry<PruningGroup, SortedSet<Integer>> e : removals.entrySet()) {
      sb.append(first ? "" : ", ").append(e.getKey().root()).append(" -").append(e.getValue());
      first = false;
    }
    return sb.append('}').toString();
  }

  /** Collects removals; adding units of a group twice merges them. */
  public static final class Builder {
    private final Map<PruningGroup, SortedSet<Integer>> removals = new IdentityHashMap<>();
    private final Map<PruningGroup, Integer> order = new IdentityHashMap<>();

    private Builder() {}

    /** Removes units {@code units} of {@code group}. */
    public Builder remove(PruningGroup group, int... units) {
      Objects.requireNonNull(group, "group");
      SortedSet<Integer> s = set(group);
      for (int u : units) {
        s.add(u);
      }
      return this;
    }

    /** Removes units {@code units} of {@code group}. */
    public Builder remove(PruningGroup group, Collection<Integer> units) {
      Objects.requireNonNull(group, "group");
      set(group).addAll(units);
      return this;
    }

    private SortedSet<Integer> set(PruningGroup group) {
      order.putIfAbsent(group, order.size());
      return removals.computeIfAbsent(group, g -> new TreeSet<>());
    }

    /**
     * Validates and builds the plan.
     *
     * @throws IllegalArgumentException naming the group if it is not prunable (with the reasons),
     *     a unit is out of range, or every unit of a group would be removed
     */
    public StructuralPlan build() {
      Map<PruningGroup, SortedSet<Integer>> ordered = new LinkedHashMap<>();
      order.entrySet().stream().sorted(Map.Entry.comparingByValue())
          .forEach(e -> ordered.put(e.getKey(), removals.get(e.getKey())));
      for (Map.Entry<PruningGroup, SortedSet<Integer>> e : ordered.entrySet()) {
        PruningGroup g = e.getKey();
        SortedSet<Integer> s = e.getValue();
        if (s.isEmpty()) {
          continue;
        }
        if (!g.isPrunable()) {
          throw new IllegalArgumentException("group '" + g.root() + "' cannot be pruned: " + g.blockers());
        }
        if (s.first() < 0 || s.last() >= g.size()) {
          throw new IllegalArgumentException("group '" + g.root() + "' has units 0.." + (g.size() - 1)
              + ", plan removes " + (s.first() < 0 ? s.first() : s.last()));
        }
        if (s.size() == g.size()) {
          throw new IllegalArgumentException("plan removes all " + g.size() + " units of group '" + g.root()
              + "'; at least one must stay");
        }
      }
      ordered.values().removeIf(SortedSet::isEmpty);
      return new StructuralPlan(ordered);
    }
  }
}
