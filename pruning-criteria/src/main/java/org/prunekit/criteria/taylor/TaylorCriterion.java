package org.prunekit.criteria.taylor;

import java.util.Set;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.ScoringContext;

/**
 * First-order Taylor score of single weights (short name {@code "taylor"}; the summand of spec
 * B5's weight-based variant, method 0 of [Taylor-code]): {@code S_ij = (W_ij * G_ij)^2}, with
 * {@code G} the loss gradient given in {@link org.prunekit.criteria.ScoringInputs} (e.g. {@code
 * GradientCapture.means()}). Needs {@link Requirement#GRADIENT}; scope LAYER by default.
 *
 * <p>The reference averages {@code (w g)^2} over mini-batches; from one gradient tensor this is
 * {@code (w * mean g)^2}. For the reference's average, or for channel / neuron / head scores,
 * use {@link TaylorImportance} ({@link TaylorImportance#weightRowScores} per batch, or the gate
 * form from activations and activation gradients).
 */
public final class TaylorCriterion implements Criterion {
  /** The registry name. */
  public static final String NAME = "taylor";

  /** Creates the criterion (stateless). */
  public TaylorCriterion() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException naming the parameter if the gradient is missing, has another
   *     shape or holds NaN/Inf
   */
  @Override
  public Tensor score(ScoringContext context) {
    TensorData grad = context.requireGradient(NAME);
    if (!grad.shape().equals(context.weightShape())) {
      throw new IllegalArgumentException("gradient of '" + context.parameterName() + "' has shape " + grad.shape()
          + ", weight has " + context.weightShape());
    }
    float[] w = context.weight().toFloatArray();
    float[] g = grad.toFloatArray();
    FeatureTaylor.requireFinite(context.parameterName(), "gradient", g, grad.shape());
    float[] s = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      double p = (double) w[i] * g[i];
      s[i] = (float) (p * p);
    }
    return new Tensor(context.weightShape(), s);
  }

  @Override
  public Set<Requirement> requirements() {
    return Set.of(Requirement.GRADIENT);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
