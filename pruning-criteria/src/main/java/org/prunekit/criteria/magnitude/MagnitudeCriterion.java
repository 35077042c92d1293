package org.prunekit.criteria.magnitude;

import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.ScoringContext;

/**
 * Unstructured magnitude pruning (spec B1): {@code S_ij = |W_ij|}. L1 and L2 give the same
 * ordering for single weights; for whole rows see {@link RowNorms}. Short name {@code
 * "magnitude"}; needs weights only.
 */
public final class MagnitudeCriterion implements Criterion {
  /** The registry name. */
  public static final String NAME = "magnitude";

  /** Creates the criterion (stateless). */
  public MagnitudeCriterion() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Tensor score(ScoringContext context) {
    float[] w = context.weight().toFloatArray();
    float[] s = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      s[i] = Math.abs(w[i]);
    }
    return new Tensor(context.weightShape(), s);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
