package org.prunekit.criteria.lamp;

import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringContext;

/**
 * LAMP scores (spec B4) as a criterion, short name {@code "lamp"}, global by default ({@link
 * Scope#GLOBAL}): one exact-count threshold over the LAMP scores of all targets, {@code floor(s *
 * total)} pruned. Since every layer's largest weight scores 1, no layer is emptied while fewer
 * than all-but-one-per-layer weights are pruned.
 *
 * <p>This is the generic pipeline's reading. The reference allocation — survivors {@code
 * round_half_even(total * (1 - s))}, kept per layer = scores {@code >=} the threshold, then
 * per-layer magnitude pruning, with already masked weights excluded from the scores — is {@link
 * LampAllocation}; use it to reproduce the reference's per-layer amounts. Scores are rounded to
 * float here (tiny scores of huge layers may underflow to 0 and then tie, broken by index);
 * {@link LampAllocation} keeps them in double.
 */
public final class LampCriterion implements Criterion {
  /** The registry name. */
  public static final String NAME = "lamp";

  /** Creates the criterion (stateless). */
  public LampCriterion() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Tensor score(ScoringContext context) {
    double[] d = LampScores.of(context.weight().toFloatArray());
    float[] s = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      s[i] = (float) d[i];
    }
    return new Tensor(context.weightShape(), s);
  }

  @Override
  public Scope defaultScope() {
    return Scope.GLOBAL;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
