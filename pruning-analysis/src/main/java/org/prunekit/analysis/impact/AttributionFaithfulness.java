package org.prunekit.analysis.impact;

import java.util.Arrays;
import java.util.Objects;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.tensor.Tensor;

/**
 * Insertion and deletion AUC of patch attributions on a patch model, averaged over images. The
 * target of each image is the model's own prediction on the unmodified image; removed patches take
 * the baseline value.
 */
public final class AttributionFaithfulness {
  private AttributionFaithfulness() {}

  /** How patches are scored. */
  public enum Method {
    /** {@link CheferAttribution} (the spec's choice; the default). */
    CHEFER,
    /** {@link GradientTimesInput}. */
    GRADIENT_X_INPUT
  }

  /**
   * Mean scores.
   *
   * @param method the attribution method
   * @param images images scored
   * @param insertionAuc mean insertion AUC (higher = more faithful)
   * @param deletionAuc mean deletion AUC (lower = more faithful)
   * @param baseline the value of a removed patch
   */
  public record Score(Method method, int images, double insertionAuc, double deletionAuc, float baseline) {}

  /**
   * Scores the first {@code maxImages} images of {@code data} with {@link Method#CHEFER}.
   *
   * @throws IllegalArgumentException if {@code maxImages < 1} or the data do not fit the model
   */
  public static Score evaluate(PatchModel model, ImpactData data, int maxImages, float baseline) {
    return evaluate(model, data, maxImages, baseline, Method.CHEFER);
  }

  /**
   * Scores the first {@code maxImages} images of {@code data}.
   *
   * @throws IllegalArgumentException if {@code maxImages < 1} or the data do not fit the model
   */
  public static Score evaluate(PatchModel model, ImpactData data, int maxImages, float baseline, Method method) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(model, "model");
    data.requireFits(model);
    if (maxImages < 1) {
      throw new IllegalArgumentException("attribution: maxImages must be >= 1, got " + maxImages);
    }
    int n = Math.min(maxImages, data.size());
    double ins = 0;
    double del = 0;
    try (GraphExecutor ex = GraphExecutor.create(model.graph())) {
      InsertionDeletion.ProbabilityModel prob =
          (patches, targets) -> ModelRuns.targetProbabilities(ModelRuns.logits(ex, model, patches), targets);
      Tensor patches = data.batch(0, n);
      int[] targets = ModelRuns.argmax(ModelRuns.logits(ex, model, patches));
      Tensor attr = method == Method.CHEFER ? CheferAttribution.attributions(ex, model, patches, targets)
          : GradientTimesInput.attributions(ex, model, patches, targets);
      int t = data.tokens();
      for (int i = 0; i < n; i++) {
        float[] a = Arrays.copyOfRange(attr.data(), i * t, (i + 1) * t);
        InsertionDeletion.Curves c = InsertionDeletion.curves(prob, data.batch(i, i + 1), a, targets[i], baseline);
        ins += c.insertionAuc();
        del += c.deletionAuc();
      }
    }
    return new Score(method, n, ins / n, del / n, baseline);
  }
}
