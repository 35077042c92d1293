package org.prunekit.criteria.structured;

import org.prunekit.core.graph.Parameter;
import org.prunekit.core.structure.GroupMember;

/**
 * {@code "taylor"}: first-order Taylor importance (Molchanov et al.): per member, {@code |sum over
 * the unit's slice of w * dL/dw|}, the first-order estimate of the loss change when the slice is
 * zeroed; reduced over members. Gradients are the means over calibration batches ({@link
 * StructuredCalibration}). Every trainable member is scored (weights, biases, norm scales and
 * shifts, embeddings); running statistics are not.
 */
public class TaylorImportance extends MemberwiseImportance {
  @Override
  public String name() {
    return "taylor";
  }

  @Override
  public boolean requiresGradients() {
    return true;
  }

  @Override
  protected boolean scores(Parameter p, GroupMember member, GroupScoringContext context) {
    return !p.role().isBuffer();
  }

  @Override
  protected double[] partials(Parameter p, GroupMember member, GroupScoringContext context) {
    float[] v = effectiveValues(p);
    float[] g = context.requireGradient(p.qualifiedName(), name()).toFloatArray();
    return sumsAlong(p.shape(), member.axis(), k -> (double) v[k] * g[k]);
  }

  @Override
  protected double finish(double partialSum) {
    return Math.abs(partialSum);
  }
}
