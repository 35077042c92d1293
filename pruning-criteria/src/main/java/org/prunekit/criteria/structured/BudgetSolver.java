package org.prunekit.criteria.structured;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.structure.PhysicalPruner;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.structure.StructuralPlan;
import org.prunekit.criteria.structured.UnmeetableTargetException.Constraint;

/**
 * Finds the smallest ratio whose physically pruned graph meets a parameter or MAC budget, by
 * bisection over the ratio (the cost never grows with the ratio: widths only shrink). Every
 * candidate is measured with {@link CostModel} on the graph {@link PhysicalPruner} builds.
 */
final class BudgetSolver {
  private static final int MAX_ITERATIONS = 40;

  private final Graph graph;
  private final UnitSelector selector;
  private final boolean macs;
  private final long dense;
  private final Map<List<Integer>, Long> cache = new HashMap<>();

  BudgetSolver(Graph graph, UnitSelector selector, boolean macs, long dense) {
    this.graph = graph;
    this.selector = selector;
    this.macs = macs;
    this.dense = dense;
  }

  /** The cost of the graph pruned to {@code kept} widths. */
  long cost(Map<PruningGroup, Integer> kept) {
    List<Integer> key = List.copyOf(kept.values());
    Long c = cache.get(key);
    if (c == null) {
      StructuralPlan plan = selector.plan(kept);
      Graph g = plan.isEmpty() ? graph : PhysicalPruner.apply(graph, plan);
      CostTotals t = CostModel.of(g, 1).total();
      c = macs ? t.macs() : t.params();
      cache.put(key, c);
    }
    return c;
  }

  private boolean meets(long cost, double keep) {
    return (double) cost <= keep * (double) dense;
  }

  /**
   * The kept widths of the smallest ratio that meets {@code keep}.
   *
   * @throws UnmeetableTargetException naming the binding constraint if even the largest removal
   *     the constraints allow keeps too much
   */
  Map<PruningGroup, Integer> solve(double keep, UnitSelector.Limits limits, String describe,
      List<String> untouchable) {
    if (meets(dense, keep)) {
      return selector.kept(0, limits);
    }
    Map<PruningGroup, Integer> most = selector.kept(1.0, limits);
    long least = cost(most);
    if (!meets(least, keep)) {
      throw unmeetable(keep, least, limits, describe, untouchable);
    }
    double lo = 0;
    double hi = 1;
    Map<PruningGroup, Integer> best = most;
    for (int i = 0; i < MAX_ITERATIONS && hi - lo > 1e-6; i++) {
      double mid = (lo + hi) / 2;
      Map<PruningGroup, Integer> k = selector.kept(mid, limits);
      if (meets(cost(k), keep)) {
        hi = mid;
        best = k;
      } else {
        lo = mid;
      }
    }
    return best;
  }

  private UnmeetableTargetException unmeetable(double keep, long least, UnitSelector.Limits limits, String describe,
      List<String> untouchable) {
    String what = macs ? "MACs" : "parameters";
    long floor = cost(selector.kept(1.0, new UnitSelector.Limits(false, 1)));
    if (!meets(floor, keep)) {
      return new UnmeetableTargetException(Constraint.UNPRUNABLE_PARTS, String.format(Locale.ROOT,
          "%s cannot be met: even with every prunable group cut to one unit, %,d of %,d %s (%.1f%%) remain, "
              + "more than the budget of %.1f%%; the rest is in parts that cannot be pruned: %s",
          describe, floor, dense, what, 100.0 * floor / dense, 100 * keep, untouchable));
    }
    long withMax = cost(selector.kept(1.0, new UnitSelector.Limits(true, 1)));
    if (!meets(withMax, keep)) {
      return new UnmeetableTargetException(Constraint.MAX_RATIO, String.format(Locale.ROOT,
          "%s cannot be met: the max ratio per group binds; with every group at its max ratio %,d of %,d %s "
              + "(%.1f%%) remain, more than the budget of %.1f%% (without it %.1f%% is reachable)",
          describe, withMax, dense, what, 100.0 * withMax / dense, 100 * keep, 100.0 * floor / dense));
    }
    return new UnmeetableTargetException(Constraint.ROUND_TO, String.format(Locale.ROOT,
        "%s cannot be met: roundTo %d binds; with widths rounded up to multiples of %d, at least %,d of %,d %s "
            + "(%.1f%%) remain, more than the budget of %.1f%% (with roundTo 1, %.1f%% is reachable)",
        describe, limits.roundTo(), limits.roundTo(), least, dense, what, 100.0 * least / dense, 100 * keep,
        100.0 * withMax / dense));
  }
}
