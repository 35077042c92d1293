package org.prunekit.dynamic.route;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Objects;
import java.util.SplittableRandom;
import org.prunekit.core.exec.GraphBlock;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Trains a one-input graph in place with an ordinary DJL {@link Trainer} (Adam, fixed learning
 * rate, seeded shuffling): used to train the dense expert, to fine-tune the AGF light expert
 * after pruning (spec 3.3's optional fine-tune) and to train the small velocity field of the
 * schedule demo. The graph runs as a {@link GraphBlock}; trained values are synced back.
 */
public final class GraphFit {
  private GraphFit() {}

  /**
   * Trains {@code graph} for {@code epochs} passes over {@code (inputs, targets)}.
   *
   * @param graph a graph with one input (changed in place)
   * @param loss the loss, evaluated as {@code loss.evaluate(targets, predictions)}
   * @param inputs {@code [n, sample...]}
   * @param targets {@code [n, ...]}: class indices as floats for softmax cross-entropy, values for L2
   * @param epochs passes, {@code >= 1}
   * @param batchSize samples per step, {@code >= 1}
   * @param learningRate Adam's fixed rate, {@code > 0}
   * @param seed shuffling seed (the order of samples differs per epoch)
   * @return the mean loss of the last epoch
   * @throws IllegalArgumentException on a bad setting or inputs and targets of differing lengths
   */
  public static float train(Graph graph, Loss loss, Tensor inputs, Tensor targets, int epochs, int batchSize,
      float learningRate, long seed) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(loss, "loss");
    int n = inputs.shape().get(0);
    if (targets.shape().get(0) != n || epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException("training needs as many targets as inputs (" + n + " vs "
          + targets.shape().get(0) + "), epochs >= 1 (" + epochs + "), batch >= 1 (" + batchSize + "), lr > 0 ("
          + learningRate + ")");
    }
    int inPer = (int) inputs.shape().sizeFrom(1);
    int outPer = (int) targets.shape().sizeFrom(1);
    SplittableRandom rng = new SplittableRandom(seed);
    float last = Float.NaN;
    try (Model model = Model.newInstance("prunekit-fit", GraphExecutor.ENGINE)) {
      GraphBlock block = new GraphBlock(graph);
      model.setBlock(block);
      DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new ai.djl.ndarray.types.Shape(inputs.shape().with(0, batchSize).toLongArray()));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        for (int e = 0; e < epochs; e++) {
          for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
          }
          double sum = 0;
          int batches = 0;
          for (int from = 0; from < n; from += batchSize) {
            int b = Math.min(batchSize, n - from);
            float[] x = new float[b * inPer];
            float[] y = new float[b * outPer];
            for (int k = 0; k < b; k++) {
              System.arraycopy(inputs.data(), order[from + k] * inPer, x, k * inPer, inPer);
              System.arraycopy(targets.data(), order[from + k] * outPer, y, k * outPer, outPer);
            }
            try (NDManager sub = trainer.getManager().newSubManager()) {
              NDArray xa = TensorConversions.toDjl(sub, new Tensor(inputs.shape().with(0, b), x));
              NDArray ya = TensorConversions.toDjl(sub, new Tensor(targets.shape().with(0, b), y));
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray l = trainer.getLoss().evaluate(new NDList(ya), trainer.forward(new NDList(xa)));
                gc.backward(l);
                sum += l.getFloat();
              }
              trainer.step();
              batches++;
            }
          }
          last = (float) (sum / batches);
        }
      }
      block.syncToGraph();
    }
    return last;
  }

  /** Class indices as a float tensor {@code [n]} (what softmax cross-entropy compares with). */
  public static Tensor classTargets(int[] labels) {
    float[] f = new float[labels.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = labels[i];
    }
    return new Tensor(new Shape(f.length), f);
  }
}
