package org.prunekit.criteria.structured;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a structural pruning run did: per group units before and after, dense parameters and MACs
 * (batch 1) before and after, and the line that explains what the channel ratio did to parameters
 * and MACs ({@link #explain()}).
 *
 * @param importance the importance's name
 * @param target the target in words
 * @param ranking local or global
 * @param roundTo the width multiple
 * @param groups every prunable group (pruned, unchanged or left alone), in graph order
 * @param paramsBefore dense parameters before
 * @param paramsAfter dense parameters after
 * @param macsBefore dense MACs per sample before
 * @param macsAfter dense MACs per sample after
 */
public record StructuredReport(
    String importance,
    String target,
    Ranking ranking,
    int roundTo,
    List<GroupChange> groups,
    long paramsBefore,
    long paramsAfter,
    long macsBefore,
    long macsAfter) {

  /** Validates and copies. */
  public StructuredReport {
    Objects.requireNonNull(importance, "importance");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(ranking, "ranking");
    groups = List.copyOf(groups);
  }

  /** Units over the groups that were not left alone, before pruning. */
  public int unitsBefore() {
    return groups.stream().filter(g -> !g.leftAlone()).mapToInt(GroupChange::unitsBefore).sum();
  }

  /** Units over the groups that were not left alone, after pruning. */
  public int unitsAfter() {
    return groups.stream().filter(g -> !g.leftAlone()).mapToInt(GroupChange::unitsAfter).sum();
  }

  /** The fraction of (not left alone) units removed: the channel ratio achieved. */
  public double unitFractionRemoved() {
    int b = unitsBefore();
    return b == 0 ? 0 : 1 - (double) unitsAfter() / b;
  }

  /** {@code paramsAfter / paramsBefore}. */
  public double paramFractionKept() {
    return paramsBefore == 0 ? 1 : (double) paramsAfter / paramsBefore;
  }

  /** {@code macsAfter / macsBefore}. */
  public double macFractionKept() {
    return macsBefore == 0 ? 1 : (double) macsAfter / macsBefore;
  }

  /** The fraction of parameters removed. */
  public double paramFractionRemoved() {
    return 1 - paramFractionKept();
  }

  /** The fraction of MACs removed. */
  public double macFractionRemoved() {
    return 1 - macFractionKept();
  }

  /**
   * One line, e.g. {@code "channel ratio 0.5 (local, l1): removed 50.0% of 36 units in 2 of 2
   * groups, which removed 69.3% of parameters (3,706 -> 1,138) and 71.0% of MACs (219,040 -> 63,440)"}.
   */
  public String explain() {
    long pruned = groups.stream().filter(g -> g.removed() > 0).count();
    return String.format(Locale.ROOT,
        "%s (%s, %s): removed %.1f%% of %d units in %d of %d groups, which removed %.1f%% of parameters "
            + "(%,d -> %,d) and %.1f%% of MACs (%,d -> %,d)",
        target, ranking.name().toLowerCase(Locale.ROOT), importance, 100 * unitFractionRemoved(), unitsBefore(),
        pruned, groups.size(), 100 * paramFractionRemoved(), paramsBefore, paramsAfter, 100 * macFractionRemoved(),
        macsBefore, macsAfter);
  }

  /** A plain nested map for JSON reports. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("importance", importance);
    m.put("target", target);
    m.put("ranking", ranking.name().toLowerCase(Locale.ROOT));
    m.put("roundTo", roundTo);
    m.put("paramsBefore", paramsBefore);
    m.put("paramsAfter", paramsAfter);
    m.put("macsBefore", macsBefore);
    m.put("macsAfter", macsAfter);
    m.put("unitFractionRemoved", unitFractionRemoved());
    m.put("paramFractionRemoved", paramFractionRemoved());
    m.put("macFractionRemoved", macFractionRemoved());
    m.put("paramFractionKept", paramFractionKept());
    m.put("macFractionKept", macFractionKept());
    m.put("explain", explain());
    List<Object> gs = new ArrayList<>();
    for (GroupChange g : groups) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("root", g.root());
      x.put("unitsBefore", g.unitsBefore());
      x.put("unitsAfter", g.unitsAfter());
      x.put("leftAlone", g.leftAlone());
      gs.add(Collections.unmodifiableMap(x));
    }
    m.put("groups", Collections.unmodifiableList(gs));
    return Collections.unmodifiableMap(m);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    int w = 5;
    for (GroupChange g : groups) {
      w = Math.max(w, g.root().length());
    }
    String fmt = "  %-" + w + "s %6s -> %-6s%s%n";
    sb.append(explain()).append(System.lineSeparator());
    sb.append(String.format(Locale.ROOT, fmt, "group", "units", "units", ""));
    for (GroupChange g : groups) {
      sb.append(String.format(Locale.ROOT, fmt, g.root(), g.unitsBefore(), g.unitsAfter(),
          g.leftAlone() ? " (left alone)" : ""));
    }
    sb.append(String.format(Locale.ROOT, "  parameters %,d -> %,d (%.1f%% kept), MACs %,d -> %,d (%.1f%% kept)%n",
        paramsBefore, paramsAfter, 100 * paramFractionKept(), macsBefore, macsAfter, 100 * macFractionKept()));
    return sb.toString();
  }
}
