package org.prunekit.criteria.structured;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.structure.GroupMember;
import org.prunekit.core.structure.PhysicalPruner;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.structure.StructuralPlan;
import org.prunekit.core.structure.Unprunable;
import org.prunekit.criteria.structured.UnmeetableTargetException.Constraint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Structural pruning in one call: build the coupled groups, score their units, choose what to
 * remove for the target, and build a new, smaller graph.
 *
 * <pre>{@code
 * StructuredResult r = StructuredPruning.prune(graph,
 *     StructuredSpec.builder().setImportance("l1").setMacBudget(0.5).optRoundTo(8).build());
 * Graph smaller = r.pruned();               // graph itself is unchanged
 * System.out.println(r.report().explain());  // what the target removed in parameters and MACs
 * }</pre>
 *
 * <p>Everything is validated and solved before the new graph is built; on any error the original
 * graph is unchanged (it is never changed anyway: the result is a new graph).
 */
public final class StructuredPruning {
  private static final Logger LOG = LoggerFactory.getLogger(StructuredPruning.class);

  private StructuredPruning() {}

  /** Prunes with an importance that needs no calibration data. */
  public static StructuredResult prune(Graph graph, StructuredSpec spec) {
    return prune(graph, spec, StructuredCalibration.none());
  }

  /**
   * Prunes {@code graph} structurally.
   *
   * @param graph the graph (not changed)
   * @param spec importance, target and constraints
   * @param calibration gradients for importances that need them ({@code taylor})
   * @return the new graph, the plan (groups of {@code graph}) and the report
   * @throws UnmeetableTargetException naming the binding constraint if the target cannot be met
   * @throws IllegalArgumentException naming the node, group or parameter on other bad input (an
   *     unknown leave-alone name, a missing gradient, a group the importance cannot score)
   */
  public static StructuredResult prune(Graph graph, StructuredSpec spec, StructuredCalibration calibration) {
    return prune(graph, spec, calibration, false);
  }

  static StructuredResult prune(Graph graph, StructuredSpec spec, StructuredCalibration calibration,
      boolean allowEmpty) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(calibration, "calibration");
    DependencyGraph deps = DependencyGraph.build(graph);
    checkNames(graph, deps, spec.leaveAlone(), "leave-alone");
    checkNames(graph, deps, spec.maxRatios().keySet(), "max-ratio");
    List<PruningGroup> candidates = new ArrayList<>();
    List<PruningGroup> leftAlone = new ArrayList<>();
    Map<PruningGroup, Double> maxRatio = new IdentityHashMap<>();
    for (PruningGroup g : deps.groups()) {
      if (spec.leaveAlone().stream().anyMatch(n -> matches(g, n))) {
        leftAlone.add(g);
        continue;
      }
      double mr = spec.maxRatio();
      for (Map.Entry<String, Double> e : spec.maxRatios().entrySet()) {
        if (produces(g, e.getKey())) {
          mr = Math.min(mr, e.getValue());
        }
      }
      candidates.add(g);
      maxRatio.put(g, mr);
    }
    String describe = spec.target().describe();
    List<String> untouchable = untouchable(deps, leftAlone);
    if (candidates.isEmpty()) {
      throw new UnmeetableTargetException(Constraint.NO_PRUNABLE_GROUP, describe
          + " cannot be met: the graph has no group that may be pruned; " + untouchable);
    }
    if (spec.importance().requiresGradients() && calibration.gradients().isEmpty()) {
      throw new IllegalArgumentException("importance '" + spec.importance().name()
          + "' needs gradients: pass a StructuredCalibration (StructuredCalibration.fromBatches)");
    }
    GroupScoringContext ctx =
        new GroupScoringContext(graph, calibration.gradients(), spec.reduction(), spec.seed());
    Map<PruningGroup, double[]> scores = new IdentityHashMap<>();
    for (PruningGroup g : candidates) {
      double[] s = spec.importance().score(g, ctx);
      if (s.length != g.size()) {
        throw new IllegalStateException("importance '" + spec.importance().name() + "' returned " + s.length
            + " scores for group '" + g.root() + "' of " + g.size() + " units");
      }
      scores.put(g, s);
    }
    UnitSelector selector = new UnitSelector(candidates, scores, maxRatio, spec.ranking(), spec.normalizer());
    UnitSelector.Limits limits = new UnitSelector.Limits(true, spec.roundTo());
    CostTotals before = CostModel.of(graph, 1).total();
    Map<PruningGroup, Integer> kept;
    StructuredTarget t = spec.target();
    if (t instanceof StructuredTarget.ChannelRatio c) {
      kept = channelRatio(selector, c.ratio(), limits, spec.ranking(), describe, allowEmpty);
    } else {
      boolean macs = t instanceof StructuredTarget.MacBudget;
      long dense = macs ? before.macs() : before.params();
      kept = new BudgetSolver(graph, selector, macs, dense).solve(t.value(), limits, describe, untouchable);
    }
    StructuralPlan plan = selector.plan(kept);
    Graph pruned = plan.isEmpty() ? graph.copy() : PhysicalPruner.apply(graph, plan);
    CostTotals after = CostModel.of(pruned, 1).total();
    List<GroupChange> changes = new ArrayList<>();
    for (PruningGroup g : deps.groups()) {
      boolean alone = !kept.containsKey(g);
      changes.add(new GroupChange(g.root(), g.size(), alone ? g.size() : kept.get(g), alone));
    }
    StructuredReport report = new StructuredReport(spec.importance().name(), describe, spec.ranking(),
        spec.roundTo(), changes, before.params(), after.params(), before.macs(), after.macs());
    LOG.info("{}", report.explain());
    return new StructuredResult(pruned, plan, report);
  }

  private static Map<PruningGroup, Integer> channelRatio(UnitSelector selector, double r, UnitSelector.Limits limits,
      Ranking ranking, String describe, boolean allowEmpty) {
    int total = selector.totalUnits();
    if (ranking == Ranking.GLOBAL) {
      int wanted = (int) Math.floor(r * total + 1e-9);
      int cap = selector.capacity(limits);
      if (cap < wanted) {
        Constraint c = selector.capacity(new UnitSelector.Limits(false, 1)) < wanted ? Constraint.NEVER_EMPTY
            : selector.capacity(new UnitSelector.Limits(true, 1)) < wanted ? Constraint.MAX_RATIO
            : Constraint.ROUND_TO;
        throw new UnmeetableTargetException(c, String.format(Locale.ROOT,
            "%s cannot be met: %s binds; at most %d of %d units (%.1f%%) can be removed, the ratio asks for %d",
            describe, words(c, limits), cap, total, 100.0 * cap / total, wanted));
      }
    }
    Map<PruningGroup, Integer> kept = selector.kept(r, limits);
    int removed = 0;
    for (Map.Entry<PruningGroup, Integer> e : kept.entrySet()) {
      removed += e.getKey().size() - e.getValue();
    }
    if (removed == 0 && !allowEmpty) {
      Constraint c = selector.capacity(limits) == 0
          ? (selector.capacity(new UnitSelector.Limits(true, 1)) == 0 ? Constraint.MAX_RATIO : Constraint.ROUND_TO)
          : Constraint.NEVER_EMPTY;
      String why = c == Constraint.NEVER_EMPTY
          ? "the ratio removes less than one whole unit of every group (widths are rounded up)"
          : words(c, limits) + " binds: no group may lose a unit";
      throw new UnmeetableTargetException(c, describe + " cannot be met: it would remove nothing; " + why);
    }
    return kept;
  }

  private static String words(Constraint c, UnitSelector.Limits limits) {
    return switch (c) {
      case NEVER_EMPTY -> "keeping at least one unit per group";
      case MAX_RATIO -> "the max ratio per group";
      case ROUND_TO -> "roundTo " + limits.roundTo();
      default -> c.name();
    };
  }

  /** True if {@code name} is the group's root or a node owning one of its members. */
  static boolean matches(PruningGroup g, String name) {
    if (g.root().equals(name)) {
      return true;
    }
    for (GroupMember m : g.members()) {
      if (m.node().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** True if {@code name} is the group's root or a node with a producing (OUT) member in it. */
  static boolean produces(PruningGroup g, String name) {
    if (g.root().equals(name)) {
      return true;
    }
    for (GroupMember m : g.members()) {
      if (m.node().equals(name) && m.direction() == GroupMember.Direction.OUT) {
        return true;
      }
    }
    return false;
  }

  private static void checkNames(Graph graph, DependencyGraph deps, Set<String> names, String what) {
    for (String n : names) {
      if (!graph.hasNode(n) && deps.allGroups().stream().noneMatch(g -> g.root().equals(n))) {
        List<String> nodes = new ArrayList<>();
        for (Node x : graph.nodes()) {
          nodes.add(x.name());
        }
        throw new IllegalArgumentException(what + " name '" + n + "' is neither a node nor a group root; nodes: "
            + nodes);
      }
    }
  }

  private static List<String> untouchable(DependencyGraph deps, List<PruningGroup> leftAlone) {
    Set<String> r = new LinkedHashSet<>();
    for (Unprunable u : deps.unprunable()) {
      r.add("unprunable " + u);
    }
    for (PruningGroup g : leftAlone) {
      r.add("left alone '" + g.root() + "'");
    }
    if (r.isEmpty()) {
      r.add("ops without prunable units (e.g. outputs, inputs)");
    }
    return new ArrayList<>(r);
  }

  /** Units kept per group root of a result (for tests and reports). */
  static Map<String, Integer> keptByRoot(StructuredReport report) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (GroupChange c : report.groups()) {
      m.put(c.root(), c.unitsAfter());
    }
    return m;
  }
}
