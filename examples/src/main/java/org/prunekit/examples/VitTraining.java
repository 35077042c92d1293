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
import java.util.Random;
import java.util.function.IntConsumer;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.GraphBlock;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.core.zoo.ModelZoo;
import org.prunekit.core.zoo.VitConfig;

/**
 * Trains a {@link ModelZoo#vit} graph (two inputs: patches and positions) on IDX images with DJL:
 * Adam, softmax cross-entropy, a seeded shuffle per epoch; the graph holds the trained weights
 * afterwards. {@link ClassifierTraining} covers single-input graphs.
 */
public final class VitTraining {
  private VitTraining() {}

  /**
   * Trains {@code graph} in place.
   *
   * @param data images (already scaled), labels
   * @param onBatch called with the number of batches done
   * @return the mean loss of the last epoch
   */
  public static float train(Graph graph, VitConfig config, IdxDataset data, int epochs, int batchSize,
      float learningRate, long seed, IntConsumer onBatch) {
    float last = Float.NaN;
    Random rnd = new Random(seed);
    int n = data.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    try (Model model = Model.newInstance("prunekit-vit", GraphExecutor.ENGINE)) {
      GraphBlock block = new GraphBlock(graph);
      model.setBlock(block);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
      try (Trainer trainer = model.newTrainer(
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adam))) {
        trainer.initialize(new ai.djl.ndarray.types.Shape(batchSize, config.tokens(), config.patchDim()),
            new ai.djl.ndarray.types.Shape(batchSize, config.tokens()));
        int done = 0;
        for (int e = 0; e < epochs; e++) {
          shuffle(order, rnd);
          double sum = 0;
          int batches = 0;
          for (int from = 0; from + batchSize <= n; from += batchSize) {
            Tensor images = gather(data, order, from, batchSize);
            Tensor[] in = ModelZoo.vitInputs(images, config);
            float[] labels = new float[batchSize];
            for (int i = 0; i < batchSize; i++) {
              labels[i] = data.label(order[from + i]);
            }
            try (NDManager sub = trainer.getManager().newSubManager()) {
              NDList x = new NDList(TensorConversions.toDjl(sub, in[0]), TensorConversions.toDjl(sub, in[1]));
              NDArray y = sub.create(labels);
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), trainer.forward(x));
                gc.backward(loss);
                sum += loss.getFloat();
              }
              trainer.step();
            }
            batches++;
            onBatch.accept(++done);
          }
          last = (float) (sum / Math.max(1, batches));
        }
      }
      block.syncToGraph();
    }
    return last;
  }

  /** Images {@code order[from .. from+count)} as {@code [count, 1, rows, cols]}. */
  static Tensor gather(IdxDataset data, int[] order, int from, int count) {
    int per = data.rows() * data.cols();
    float[] d = new float[count * per];
    for (int i = 0; i < count; i++) {
      System.arraycopy(data.image(order[from + i]), 0, d, i * per, per);
    }
    return new Tensor(new Shape(count, 1, data.rows(), data.cols()), d);
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
