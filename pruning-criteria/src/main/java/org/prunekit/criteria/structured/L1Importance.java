package org.prunekit.criteria.structured;

import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.structure.GroupMember;

/**
 * {@code "l1"}: per member, the sum of {@code |w|} over the unit's slice; reduced over members.
 * Scored members are weights, norm scales and embedding tables, producing and consuming alike;
 * biases, shifts and running statistics are not scored.
 */
public class L1Importance extends MemberwiseImportance {
  @Override
  public String name() {
    return "l1";
  }

  @Override
  protected boolean scores(Parameter p, GroupMember member, GroupScoringContext context) {
    return isMagnitudeMember(p);
  }

  @Override
  protected double[] partials(Parameter p, GroupMember member, GroupScoringContext context) {
    float[] v = effectiveValues(p);
    return sumsAlong(p.shape(), member.axis(), k -> Math.abs(v[k]));
  }

  /** Weights, norm scales (gamma) and embeddings: the members magnitude importances score. */
  static boolean isMagnitudeMember(Parameter p) {
    ParamRole r = p.role();
    return r == ParamRole.WEIGHT || r == ParamRole.GAMMA || r == ParamRole.EMBEDDING;
  }
}
