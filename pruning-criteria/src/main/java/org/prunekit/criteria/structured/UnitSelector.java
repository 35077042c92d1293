package org.prunekit.criteria.structured;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.structure.StructuralPlan;

/**
 * Turns a ratio into per-group widths and a plan, under the spec's constraints. Pure arithmetic on
 * the scores; changes nothing.
 */
final class UnitSelector {
  /** Tolerance for floating-point products such as {@code 20 * 0.7}. */
  private static final double EPS = 1e-9;

  /** Which constraints apply (relaxed variants diagnose the binding one). */
  record Limits(boolean maxRatios, int roundTo) {}

  private final List<PruningGroup> groups;
  private final Map<PruningGroup, double[]> scores;
  private final Map<PruningGroup, Double> maxRatio;
  private final Ranking ranking;
  private final ScoreNormalizer normalizer;

  UnitSelector(List<PruningGroup> groups, Map<PruningGroup, double[]> scores, Map<PruningGroup, Double> maxRatio,
      Ranking ranking, ScoreNormalizer normalizer) {
    this.groups = List.copyOf(groups);
    this.scores = scores;
    this.maxRatio = maxRatio;
    this.ranking = ranking;
    this.normalizer = normalizer;
  }

  List<PruningGroup> groups() {
    return groups;
  }

  /** Total units over the candidate groups. */
  int totalUnits() {
    int n = 0;
    for (PruningGroup g : groups) {
      n += g.size();
    }
    return n;
  }

  /** The smallest multiple of {@code m} that is {@code >= x}. */
  static int ceilMultiple(int x, int m) {
    return ((x + m - 1) / m) * m;
  }

  /** The smallest width group {@code g} may keep under {@code limits}. */
  int minKeep(PruningGroup g, Limits limits) {
    int n = g.size();
    int base = 1;
    if (limits.maxRatios()) {
      base = Math.max(1, (int) Math.ceil(n * (1 - maxRatio.get(g)) - EPS));
    }
    int k = ceilMultiple(base, limits.roundTo());
    return Math.min(k, n);
  }

  /** The width kept for a wanted width, after limits and rounding. */
  private int round(PruningGroup g, int wanted, Limits limits) {
    int n = g.size();
    int k = Math.max(ceilMultiple(Math.max(wanted, 1), limits.roundTo()), minKeep(g, limits));
    return Math.min(k, n);
  }

  /** The most units that may be removed under {@code limits}. */
  int capacity(Limits limits) {
    int c = 0;
    for (PruningGroup g : groups) {
      c += g.size() - minKeep(g, limits);
    }
    return c;
  }

  /** Kept widths per group for ratio {@code r} in [0, 1] under the spec's ranking. */
  Map<PruningGroup, Integer> kept(double r, Limits limits) {
    return ranking == Ranking.LOCAL ? keptLocal(r, limits) : keptGlobal(r, limits);
  }

  private Map<PruningGroup, Integer> keptLocal(double r, Limits limits) {
    Map<PruningGroup, Integer> kept = new LinkedHashMap<>();
    for (PruningGroup g : groups) {
      int wanted = (int) Math.ceil(g.size() * (1 - r) - EPS);
      kept.put(g, round(g, wanted, limits));
    }
    return kept;
  }

  private record Entry(int group, int unit, double score) {}

  private Map<PruningGroup, Integer> keptGlobal(double r, Limits limits) {
    List<Entry> all = new ArrayList<>();
    for (int gi = 0; gi < groups.size(); gi++) {
      double[] s = normalizer.apply(scores.get(groups.get(gi)));
      for (int u = 0; u < s.length; u++) {
        all.add(new Entry(gi, u, s[u]));
      }
    }
    all.sort(Comparator.comparingDouble(Entry::score).thenComparingInt(Entry::group).thenComparingInt(Entry::unit));
    int target = (int) Math.floor(r * all.size() + EPS);
    int[] removed = new int[groups.size()];
    int[] cap = new int[groups.size()];
    for (int gi = 0; gi < groups.size(); gi++) {
      cap[gi] = groups.get(gi).size() - minKeep(groups.get(gi), limits);
    }
    int done = 0;
    for (Entry e : all) {
      if (done >= target) {
        break;
      }
      if (removed[e.group()] < cap[e.group()]) {
        removed[e.group()]++;
        done++;
      }
    }
    Map<PruningGroup, Integer> kept = new LinkedHashMap<>();
    for (int gi = 0; gi < groups.size(); gi++) {
      PruningGroup g = groups.get(gi);
      kept.put(g, round(g, g.size() - removed[gi], limits));
    }
    return kept;
  }

  /** A plan removing, in every group, its lowest-scored units down to the kept width. */
  StructuralPlan plan(Map<PruningGroup, Integer> kept) {
    StructuralPlan.Builder b = StructuralPlan.builder();
    for (Map.Entry<PruningGroup, Integer> e : kept.entrySet()) {
      PruningGroup g = e.getKey();
      int remove = g.size() - e.getValue();
      if (remove <= 0) {
        continue;
      }
      double[] s = scores.get(g);
      Integer[] order = new Integer[s.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> s[i]).thenComparingInt(i -> i));
      List<Integer> units = new ArrayList<>();
      for (int i = 0; i < remove; i++) {
        units.add(order[i]);
      }
      b.remove(g, units);
    }
    return b.build();
  }
}
