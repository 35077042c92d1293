package org.prunekit.criteria.structured;

import org.prunekit.core.graph.Parameter;
import org.prunekit.core.structure.GroupMember;

/**
 * {@code "l2"}: per member, the Euclidean norm {@code sqrt(sum w^2)} of the unit's slice; reduced
 * over members. Scored members as for {@link L1Importance}.
 */
public class L2Importance extends MemberwiseImportance {
  @Override
  public String name() {
    return "l2";
  }

  @Override
  protected boolean scores(Parameter p, GroupMember member, GroupScoringContext context) {
    return L1Importance.isMagnitudeMember(p);
  }

  @Override
  protected double[] partials(Parameter p, GroupMember member, GroupScoringContext context) {
    float[] v = effectiveValues(p);
    return sumsAlong(p.shape(), member.axis(), k -> (double) v[k] * v[k]);
  }

  @Override
  protected double finish(double partialSum) {
    return Math.sqrt(partialSum);
  }
}
