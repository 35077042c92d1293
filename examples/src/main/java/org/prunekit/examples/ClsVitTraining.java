package org.prunekit.examples;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
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
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.core.zoo.VitConfig;
import org.prunekit.dynamic.token.ClsVit;
import org.prunekit.dynamic.token.TransformerModel;

/**
 * Trains a {@link ClsVit} with an ordinary DJL {@link Trainer}: the encoder and head graphs run as
 * {@link GraphBlock}s in a {@link SequentialBlock} with the class-token readout between them (a
 * {@link LambdaBlock}); trained values are synced back into both graphs.
 */
public final class ClsVitTraining {
  private ClsVitTraining() {}

  /**
   * Trains {@code model} in place: {@code epochs} passes over {@code data} in a fixed order, Adam
   * with a cosine-decayed learning rate from {@code learningRate}.
   *
   * @return the mean training loss of the last epoch
   */
  public static float train(TransformerModel model, VitConfig c, IdxDataset data, int epochs, int batchSize,
      float learningRate, IntConsumer onBatch) {
    float lastLoss = Float.NaN;
    try (Model m = Model.newInstance("prunekit-clsvit", GraphExecutor.ENGINE)) {
      GraphBlock encoder = new GraphBlock(model.encoder());
      GraphBlock head = new GraphBlock(model.head());
      SequentialBlock net = new SequentialBlock()
          .add(encoder)
          .add(LambdaBlock.singleton(x -> x.get(new NDIndex(":, 0, :")), "cls"))
          .add(head);
      m.setBlock(net);
      int steps = epochs * ((data.size() + batchSize - 1) / batchSize);
      Tracker lr = Tracker.cosine().setBaseValue(learningRate).setMaxUpdates(steps).optFinalValue(learningRate / 20)
          .build();
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build());
      try (Trainer trainer = m.newTrainer(config)) {
        int seq = c.tokens() + 1;
        trainer.initialize(new ai.djl.ndarray.types.Shape(batchSize, seq, c.patchDim()),
            new ai.djl.ndarray.types.Shape(batchSize, seq));
        int done = 0;
        for (int e = 0; e < epochs; e++) {
          double lossSum = 0;
          int batches = 0;
          for (int from = 0; from < data.size(); from += batchSize) {
            int to = Math.min(from + batchSize, data.size());
            try (NDManager sub = trainer.getManager().newSubManager()) {
              Tensor[] in = ClsVit.inputs(data.batch(from, to), c);
              NDArray y = sub.create(ClassifierTraining.toFloats(data.labels(from, to)));
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(
                    new NDList(TensorConversions.toDjl(sub, in[0]), TensorConversions.toDjl(sub, in[1])));
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
                gc.backward(loss);
                lossSum += loss.getFloat();
              }
              trainer.step();
              batches++;
              onBatch.accept(++done);
            }
          }
          lastLoss = (float) (lossSum / Math.max(1, batches));
        }
      }
      encoder.syncToGraph();
      head.syncToGraph();
    }
    return lastLoss;
  }
}
