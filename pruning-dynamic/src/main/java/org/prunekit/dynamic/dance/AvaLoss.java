package org.prunekit.dynamic.dance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

/**
 * DANCE step 1, AVA (activation-variability augmentation) as a DJL {@link Loss} (spec §3.1, a
 * PROPOSAL there, implemented as written): {@code L = CE - λ * (1/L) Σ_l mean_batch v_l} with
 * {@code v_l = Var(|a_l|) / (mean(|a_l|)^2 + eps)} over all elements of one sample's post-ReLU
 * activation of conv {@code l} (population variance).
 *
 * <p>Predictions must be {@code [logits, a_1, ..., a_L]}, which is what {@link DanceNet#forward}
 * returns; labels are class indices {@code [B]}. With {@code λ = 0} the loss is plain softmax
 * cross-entropy, so the same loss trains the dense model.
 */
public final class AvaLoss extends Loss {
  /** Spec default {@code λ_ava}. */
  public static final float DEFAULT_LAMBDA = 0.01f;
  /** Spec default {@code eps}. */
  public static final float DEFAULT_EPS = 1e-6f;

  private final float lambda;
  private final float eps;
  private final SoftmaxCrossEntropyLoss ce = new SoftmaxCrossEntropyLoss("ce");

  /**
   * An AVA loss.
   *
   * @param lambda weight of the variability term (finite, {@code >= 0})
   * @param eps stabiliser of the denominator (finite, {@code > 0})
   */
  public AvaLoss(float lambda, float eps) {
    super("ava");
    if (!Float.isFinite(lambda) || lambda < 0) {
      throw new IllegalArgumentException("AVA lambda must be finite and >= 0, got " + lambda);
    }
    if (!Float.isFinite(eps) || eps <= 0) {
      throw new IllegalArgumentException("AVA eps must be finite and > 0, got " + eps);
    }
    this.lambda = lambda;
    this.eps = eps;
  }

  /** The spec defaults {@code λ = 0.01, eps = 1e-6}. */
  public AvaLoss() {
    this(DEFAULT_LAMBDA, DEFAULT_EPS);
  }

  /** The weight {@code λ}. */
  public float lambda() {
    return lambda;
  }

  /**
   * {@code v = Var(|a|) / (mean(|a|)^2 + eps)} per sample of {@code a [B, ...]}: returns {@code [B]}.
   */
  public static NDArray variability(NDArray a, float eps) {
    NDArray m = a.abs().reshape(a.getShape().get(0), -1);
    NDArray mean = m.mean(new int[] {1}, true);
    NDArray var = m.sub(mean).square().mean(new int[] {1});
    return var.div(mean.squeeze(1).square().add(eps));
  }

  /** Mean over layers of the batch-mean {@code v_l} of the activations {@code acts}. */
  public NDArray meanVariability(NDList acts) {
    NDArray sum = null;
    for (NDArray a : acts) {
      NDArray v = variability(a, eps).mean();
      sum = sum == null ? v : sum.add(v);
    }
    if (sum == null) {
      throw new IllegalArgumentException("AVA needs at least one activation besides the logits");
    }
    return sum.div(acts.size());
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    if (predictions.size() < 2) {
      throw new IllegalArgumentException("AvaLoss expects [logits, a_1..a_L], got " + predictions.size()
          + " arrays");
    }
    NDArray loss = ce.evaluate(labels, new NDList(predictions.get(0)));
    if (lambda == 0f) {
      return loss;
    }
    return loss.sub(meanVariability(predictions.subNDList(1)).mul(lambda));
  }
}
