package org.prunekit.criteria.structured;

import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.structure.GroupMember;
import org.prunekit.core.structure.PruningGroup;

/**
 * {@code "bn-scale"}: the absolute BatchNorm scale {@code |gamma|} of the unit in every BatchNorm
 * member of the group (Network Slimming), reduced over those members. A group without a BatchNorm
 * is an error (use {@code "l1"} for it).
 */
public class BnScaleImportance extends MemberwiseImportance {
  @Override
  public String name() {
    return "bn-scale";
  }

  @Override
  protected boolean scores(Parameter p, GroupMember member, GroupScoringContext context) {
    return p.role() == ParamRole.GAMMA && context.graph().node(p.nodeName()).op() instanceof BatchNorm;
  }

  @Override
  protected double[] partials(Parameter p, GroupMember member, GroupScoringContext context) {
    float[] v = effectiveValues(p);
    return sumsAlong(p.shape(), member.axis(), k -> Math.abs(v[k]));
  }

  @Override
  protected void noMembers(PruningGroup group) {
    throw new IllegalArgumentException("importance 'bn-scale' needs a BatchNorm in group '" + group.root()
        + "', which has none (members: " + group.members().stream().map(GroupMember::parameter).toList()
        + "); use 'l1' or 'l2' for groups without BatchNorm, or leave the group alone");
  }
}
