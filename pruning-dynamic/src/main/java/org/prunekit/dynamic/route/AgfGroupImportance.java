package org.prunekit.dynamic.route;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.criteria.structured.GroupImportance;
import org.prunekit.criteria.structured.GroupScoringContext;

/**
 * {@code "agf"}: a {@link GroupImportance} that returns AGF kinetic utilities ({@link
 * org.prunekit.criteria.taylor.AgfUtility}) already measured on calibration data, keyed by group
 * root, so that {@link org.prunekit.criteria.structured.StructuredPruning} can rank and physically
 * remove units by them. Built by {@link AgfLightExpert}; not registered in the service file because
 * it needs the measured utilities.
 */
public final class AgfGroupImportance implements GroupImportance {
  private final Map<String, double[]> byRoot;

  /**
   * An importance over measured utilities.
   *
   * @param byRoot group root to one utility per unit (copied)
   */
  public AgfGroupImportance(Map<String, double[]> byRoot) {
    Map<String, double[]> m = new LinkedHashMap<>();
    Objects.requireNonNull(byRoot, "byRoot").forEach((k, v) -> m.put(k, v.clone()));
    this.byRoot = m;
  }

  @Override
  public String name() {
    return "agf";
  }

  /**
   * The measured utilities of {@code group}.
   *
   * @throws IllegalArgumentException naming the group if no utilities were measured for it or their
   *     count differs from the group's units
   */
  @Override
  public double[] score(PruningGroup group, GroupScoringContext context) {
    double[] u = byRoot.get(group.root());
    if (u == null) {
      throw new IllegalArgumentException("no AGF utilities were measured for group '" + group.root() + "'; measured: "
          + byRoot.keySet());
    }
    if (u.length != group.size()) {
      throw new IllegalArgumentException("group '" + group.root() + "' has " + group.size() + " units but "
          + u.length + " AGF utilities were measured");
    }
    return u.clone();
  }
}
