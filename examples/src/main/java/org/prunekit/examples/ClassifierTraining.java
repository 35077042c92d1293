package org.prunekit.examples;

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
import java.util.function.IntConsumer;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.GraphBlock;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.exec.MaskingListener;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Trains and evaluates an image classifier graph with an ordinary DJL {@link Trainer}: the graph
 * runs as a {@link GraphBlock}, masks are held by a {@link MaskingListener} (its wrapped optimizer
 * re-zeroes pruned weights after every update), and trained values are synced back into the graph.
 */
public final class ClassifierTraining {
  private ClassifierTraining() {}

  /**
   * Trains {@code graph} in place for {@code epochs} passes over {@code data}, in a fixed order
   * (batch i covers samples [i*batch, (i+1)*batch)); masked weights stay zero.
   *
   * @param onBatch called with the number of batches done so far (progress)
   * @return the mean training loss of the last epoch
   */
  public static float train(
      Graph graph, IdxDataset data, int epochs, int batchSize, float learningRate, IntConsumer onBatch) {
    float lastLoss = Float.NaN;
    try (Model model = Model.newInstance("prunekit-train", GraphExecutor.ENGINE)) {
      GraphBlock block = new GraphBlock(graph);
      model.setBlock(block);
      try (MaskingListener masks = new MaskingListener(block)) {
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
        DefaultTrainingConfig config =
            new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(masks.wrap(adam))
                .addTrainingListeners(masks);
        try (Trainer trainer = model.newTrainer(config)) {
          trainer.initialize(new ai.djl.ndarray.types.Shape(
              graph.inputs().get(0).sampleShape().withBatch(batchSize).toLongArray()));
          int done = 0;
          for (int e = 0; e < epochs; e++) {
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < data.size(); from += batchSize) {
              int to = Math.min(from + batchSize, data.size());
              try (NDManager sub = trainer.getManager().newSubManager()) {
                NDArray x = TensorConversions.toDjl(sub, data.batch(from, to));
                NDArray y = sub.create(toFloats(data.labels(from, to)));
                try (GradientCollector gc = trainer.newGradientCollector()) {
                  NDList predictions = trainer.forward(new NDList(x));
                  NDArray loss = trainer.getLoss().evaluate(new NDList(y), predictions);
                  gc.backward(loss);
                  lossSum += loss.getFloat();
                }
                // The wrapped optimizer re-zeroes pruned weights right after each update.
                trainer.step();
                batches++;
                onBatch.accept(++done);
              }
            }
            lastLoss = (float) (lossSum / Math.max(1, batches));
            trainer.notifyListeners(listener -> listener.onEpoch(trainer));
          }
        }
      }
      block.syncToGraph();
    }
    return lastLoss;
  }

  /** Top-1 accuracy of {@code graph} on {@code data}, in batches. */
  public static double accuracy(Graph graph, IdxDataset data, int batchSize) {
    long correct = 0;
    try (GraphExecutor ex = GraphExecutor.create(graph)) {
      for (int from = 0; from < data.size(); from += batchSize) {
        int to = Math.min(from + batchSize, data.size());
        Tensor logits = ex.predict(data.batch(from, to));
        int classes = logits.shape().get(1);
        int[] labels = data.labels(from, to);
        float[] l = logits.data();
        for (int i = 0; i < labels.length; i++) {
          int best = 0;
          for (int c = 1; c < classes; c++) {
            if (l[i * classes + c] > l[i * classes + best]) {
              best = c;
            }
          }
          if (best == labels[i]) {
            correct++;
          }
        }
      }
    }
    return (double) correct / data.size();
  }

  /** Class labels as the float targets DJL's softmax cross-entropy expects. */
  static float[] toFloats(int[] labels) {
    float[] f = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      f[i] = labels[i];
    }
    return f;
  }
}
