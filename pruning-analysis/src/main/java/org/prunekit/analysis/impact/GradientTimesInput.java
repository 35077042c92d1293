package org.prunekit.analysis.impact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.exec.GraphInterpreter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Patch attributions by gradient x input, computed with DJL autograd: for image {@code i} and
 * target class {@code c_i}, the attribution of patch {@code t} is {@code sum_d x[i,t,d] *
 * d logit_{c_i} / d x[i,t,d]} (signed: positive = evidence for the target; the first-order estimate
 * of how much the target logit drops when the patch is set to 0).
 *
 * <p>An alternative to the spec's {@link CheferAttribution} (a baseline that needs no attention
 * maps, and works for any patch model).
 */
public final class GradientTimesInput {
  private GradientTimesInput() {}

  /**
   * Attributions {@code [N, T]} for a batch of patches.
   *
   * @param ex an executor of {@code model.graph()}
   * @param model the model
   * @param patches images {@code [N, T, P]}
   * @param targets class per image
   * @throws IllegalArgumentException if sizes do not match or a target is out of range
   */
  public static Tensor attributions(GraphExecutor ex, PatchModel model, Tensor patches, int[] targets) {
    Objects.requireNonNull(ex, "ex");
    Tensor[] inputs = model.inputs(patches);
    int n = patches.shape().get(0);
    int t = patches.shape().get(1);
    if (targets.length != n) {
      throw new IllegalArgumentException("gradient x input: " + targets.length + " targets for " + n + " images");
    }
    try (NDManager scope = DjlEnvironment.newManager()) {
      NDList in = new NDList();
      for (Tensor x : inputs) {
        in.add(TensorConversions.toDjl(scope, x));
      }
      NDArray x = in.get(0);
      x.setRequiresGradient(true);
      int classes;
      try (GradientCollector gc = DjlEnvironment.engine().newGradientCollector()) {
        NDArray logits = GraphInterpreter.run(model.graph(), in, ex.parameters(), List.of(), false).head();
        classes = (int) logits.getShape().get(1);
        float[] onehot = new float[n * classes];
        for (int i = 0; i < n; i++) {
          if (targets[i] < 0 || targets[i] >= classes) {
            throw new IllegalArgumentException("gradient x input: target " + targets[i] + " of image " + i
                + " is outside [0, " + classes + ")");
          }
          onehot[i * classes + targets[i]] = 1f;
        }
        NDArray picked = logits.mul(scope.create(onehot, logits.getShape())).sum();
        gc.backward(picked);
      }
      NDArray g = x.getGradient();
      float[] attr = g.mul(x).sum(new int[] {2}).toFloatArray();
      return new Tensor(new Shape(n, t), attr);
    }
  }
}
