package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;
import org.prunekit.core.tensor.Tensor;

/** A spiking MLP trains in a DJL Trainer through surrogate gradients. */
class SpikingTrainingTest {
  static final int T = 4;

  /** x[4] -> repeat over T -> fc1[16] -> lif -> fc2[16] -> lif -> fc3[2] -> mean over T. */
  static Graph spikingMlp(long seed) {
    return GraphBuilder.create(seed).input("x", 4)
        .node("enc", new TimeEncode(T, TimeEncode.Mode.REPEAT), "x")
        .linear("fc1", 16).node("lif1", Lif.of(T, 0.8f), "fc1")
        .linear("fc2", 16).node("lif2", Lif.of(T, 0.8f), "fc2")
        .linear("fc3", 2).node("rate", new TimeMean(T), "fc3").output()
        .build();
  }

  @Test
  void spikingMlpLossDecreasesUnderSurrogateGradients() throws Exception {
    Graph g = spikingMlp(5);
    Tensor before = g.parameter("fc1.weight").value().copy();
    GraphBlock block = new GraphBlock(g);
    try (Model model = Model.newInstance("snn", DjlEnvironment.ENGINE);
        NDManager data = DjlEnvironment.newManager()) {
      model.setBlock(block);
      NDArray[] xy = TrainingFixtures.blobs(data, 64, 3);
      ArrayDataset ds = new ArrayDataset.Builder().setData(xy[0]).optLabels(xy[1]).setSampling(16, false).build();
      Loss loss = Loss.softmaxCrossEntropyLoss();
      DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.02f)).build());
      float first;
      float last;
      float accuracy;
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(16, 4));
        first = GraphBlockTest.evaluate(trainer, loss, xy);
        EasyTrain.fit(trainer, 8, ds, null);
        last = GraphBlockTest.evaluate(trainer, loss, xy);
        NDList preds = trainer.evaluate(new NDList(xy[0]));
        float[] p = preds.singletonOrThrow().argMax(1).toType(DataType.FLOAT32, false).toFloatArray();
        preds.close();
        float[] y = xy[1].toFloatArray();
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
          ok += p[i] == y[i] ? 1 : 0;
        }
        accuracy = ok / (float) y.length;
      }
      assertTrue(last < 0.5f * first, "loss " + first + " -> " + last);
      assertTrue(accuracy >= 0.9f, "accuracy " + accuracy);
      block.syncToGraph();
      assertFalse(before.bitEquals(g.parameter("fc1.weight").value()), "the first layer learned through two LIF layers");
    }
  }
}
