package org.prunekit.criteria.atv;

import java.util.Set;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringContext;
import org.prunekit.criteria.activation.WandaCriterion;

/**
 * ATV-Pruning's weight score (spec 3.4 step 6): {@code S_ij = |W_ij| * sqrt(scaler_j)}, the Wanda
 * form, where {@code scaler} are ATV's pooled input norms ({@link PooledInputNorms}: text tokens
 * plus the visual tokens {@link VisualTokenSelector} selected for the layer). Short name {@code
 * "atv"}; needs {@link Requirement#INPUT_COLUMN_NORMS}; compares within output rows by default
 * ({@link Scope#ROW}, {@code floor(s * in)} pruned per row, ties lower column first), uniform
 * sparsity over layers as in the reference.
 *
 * <p>The arithmetic is Wanda's; what makes it ATV is which tokens the norms were taken over. Given
 * plain all-token norms it equals Wanda, and given text-only norms ({@code α = 0}) it equals Wanda
 * on text tokens.
 */
public final class AtvCriterion implements Criterion {
  /** The registry name. */
  public static final String NAME = "atv";
  /** The reference's default {@code α}. */
  public static final double DEFAULT_ALPHA = 1.0;

  private final WandaCriterion wanda = new WandaCriterion();

  /** Creates the criterion (stateless). */
  public AtvCriterion() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException naming the parameter if the pooled norms are missing or all zero
   */
  @Override
  public Tensor score(ScoringContext context) {
    context.requireInputColumnSquaredNorms(NAME);
    try {
      return wanda.score(context);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("'" + WandaCriterion.NAME + "'", "'" + NAME + "'"), e);
    }
  }

  @Override
  public Set<Requirement> requirements() {
    return Set.of(Requirement.INPUT_COLUMN_NORMS);
  }

  @Override
  public Scope defaultScope() {
    return Scope.ROW;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
