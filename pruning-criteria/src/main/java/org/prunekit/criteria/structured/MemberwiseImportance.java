package org.prunekit.criteria.structured;

import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.structure.GroupMember;
import org.prunekit.core.structure.PruningGroup;

/**
 * Base class for importances computed member by member (Torch-Pruning style): for every scored
 * member and unit, the member's partial values at the unit's indices are summed and {@link
 * #finish finished} (e.g. square root, absolute value) into the member's score for the unit; the
 * member scores of a unit are then reduced with {@link GroupScoringContext#reduction()} over the
 * members that own at least one index of the unit.
 *
 * <p>Parameter values are read with their mask applied (a masked-out weight counts as zero).
 */
public abstract class MemberwiseImportance implements GroupImportance {

  /** Whether {@code member} (of parameter {@code p}) contributes to the score. */
  protected abstract boolean scores(Parameter p, GroupMember member, GroupScoringContext context);

  /**
   * One partial value per index along {@code member.axis()} of {@code p}, e.g. the sum of {@code
   * |w|} over everything else.
   */
  protected abstract double[] partials(Parameter p, GroupMember member, GroupScoringContext context);

  /** Turns the sum of a unit's partials in one member into the member's score; identity by default. */
  protected double finish(double partialSum) {
    return partialSum;
  }

  /**
   * Called when no member of {@code group} is scored.
   *
   * @throws IllegalArgumentException always, naming the group
   */
  protected void noMembers(PruningGroup group) {
    throw new IllegalArgumentException("importance '" + name() + "' finds no member to score in group '"
        + group.root() + "'");
  }

  @Override
  public double[] score(PruningGroup group, GroupScoringContext context) {
    if (!group.belongsTo(context.graph())) {
      throw new IllegalArgumentException("group '" + group.root() + "' belongs to another graph");
    }
    int n = group.size();
    double[] sum = new double[n];
    int[] count = new int[n];
    boolean any = false;
    for (GroupMember m : group.members()) {
      Parameter p = context.graph().parameter(m.parameter());
      if (!scores(p, m, context)) {
        continue;
      }
      any = true;
      double[] part = partials(p, m, context);
      for (int u = 0; u < n; u++) {
        int[] ix = m.indices(u);
        if (ix.length == 0) {
          continue;
        }
        double s = 0;
        for (int i : ix) {
          s += part[i];
        }
        sum[u] += finish(s);
        count[u]++;
      }
    }
    if (!any) {
      noMembers(group);
    }
    double[] out = new double[n];
    for (int u = 0; u < n; u++) {
      out[u] = context.reduction().reduce(sum[u], count[u]);
      if (!Double.isFinite(out[u])) {
        throw new IllegalArgumentException("importance '" + name() + "' gives unit " + u + " of group '"
            + group.root() + "' a non-finite score " + out[u] + " (NaN or infinite weights or gradients?)");
      }
    }
    return out;
  }

  /** The parameter's values with its mask applied (a fresh array when masked). */
  protected static float[] effectiveValues(Parameter p) {
    float[] v = p.value().data();
    if (!p.hasMask()) {
      return v;
    }
    float[] m = p.mask().data();
    float[] r = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = v[i] * m[i];
    }
    return r;
  }

  /** Element functions for {@link #sumsAlong}. */
  @FunctionalInterface
  protected interface ElementFn {
    /** The value summed for element {@code k} of the flat arrays. */
    double apply(int k);
  }

  /**
   * For every index {@code i} along {@code axis} of a row-major tensor of {@code shape}, the sum of
   * {@code fn} over the elements whose coordinate on {@code axis} is {@code i}.
   */
  protected static double[] sumsAlong(Shape shape, int axis, ElementFn fn) {
    int n = shape.get(axis);
    int outer = Math.toIntExact(shape.size() / shape.sizeFrom(axis));
    int inner = Math.toIntExact(shape.sizeFrom(axis + 1));
    double[] r = new double[n];
    for (int o = 0; o < outer; o++) {
      int base = o * n * inner;
      for (int i = 0; i < n; i++) {
        double s = 0;
        int off = base + i * inner;
        for (int j = 0; j < inner; j++) {
          s += fn.apply(off + j);
        }
        r[i] += s;
      }
    }
    return r;
  }
}
