package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;

class MaskingListenerTest {

  @Test
  void plainSgdWithListenerKeepsPrunedWeightsAtZero() throws Exception {
    Graph g = TrainingFixtures.mlp(17);
    Parameter w1 = g.parameter("fc1.weight");
    w1.setMask(TrainingFixtures.magnitudeMask(w1.value(), 0.5));
    w1.applyMask();
    float[] before = w1.value().data().clone();
    GraphBlock block = new GraphBlock(g);
    try (Model model = Model.newInstance("masked", DjlEnvironment.ENGINE);
        NDManager data = DjlEnvironment.newManager();
        MaskingListener masks = new MaskingListener(block)) {
      assertEquals(Set.of("fc1.weight"), masks.maskedParameters());
      model.setBlock(block);
      NDArray[] xy = TrainingFixtures.blobs(data, 32, 3);
      ArrayDataset ds = new ArrayDataset.Builder().setData(xy[0]).optLabels(xy[1]).setSampling(8, false).build();
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build())
              .addTrainingListeners(masks);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(8, 4));
        EasyTrain.fit(trainer, 2, ds, null);
      }
      block.syncToGraph();
    }
    assertMaskedZeroAndOthersTrained(w1.mask(), before, w1.value());
  }

  @Test
  void wrappedOptimizerKeepsZerosEvenWithLeftoverMomentum() {
    Graph g = TrainingFixtures.mlp(19);
    GraphBlock block = new GraphBlock(g);
    try (Model model = Model.newInstance("momentum", DjlEnvironment.ENGINE);
        NDManager data = DjlEnvironment.newManager()) {
      model.setBlock(block);
      NDArray[] xy = TrainingFixtures.blobs(data, 16, 4);
      // one optimizer instance across both phases: its momentum state outlives the first trainer
      Optimizer momentumSgd =
          Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.2f)).optMomentum(0.9f).build();
      train(model, new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(momentumSgd), xy, 3, () -> {});
      block.syncToGraph();

      Parameter w2 = g.parameter("fc2.weight");
      w2.setMask(TrainingFixtures.magnitudeMask(w2.value(), 0.5));
      w2.applyMask();
      block.syncFromGraph();
      float[] before = w2.value().data().clone();

      // listener alone: the momentum left from phase one moves zeroed weights during the step
      try (MaskingListener masks = new MaskingListener(block)) {
        int[] regrown = new int[1];
        train(model, new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(momentumSgd).addTrainingListeners(masks), xy, 1,
            () -> regrown[0] += countRegrown(w2.mask(), block.djlParameter("fc2.weight").getArray().toFloatArray()));
        assertTrue(regrown[0] > 0, "without the wrapper, momentum regrows pruned weights right after the step");
        assertEquals(0, countRegrown(w2.mask(), block.djlParameter("fc2.weight").getArray().toFloatArray()), "onTrainingEnd re-applied the masks");
        // with the wrapper: exact zeros right after every step
        int[] afterSteps = new int[1];
        train(model, new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(masks.wrap(momentumSgd)).addTrainingListeners(masks), xy, 3,
            () -> afterSteps[0] += countRegrown(w2.mask(), block.djlParameter("fc2.weight").getArray().toFloatArray()));
        assertEquals(0, afterSteps[0], "wrapped optimizer leaves pruned weights at zero after each step");
        block.syncToGraph();
      }
      assertMaskedZeroAndOthersTrained(w2.mask(), before, w2.value());
    }
  }

  @Test
  void closedListenerRefusesWork() {
    Graph g = TrainingFixtures.mlp(1);
    g.parameter("fc1.weight").setMask(Tensor.full(g.parameter("fc1.weight").shape(), 1f));
    MaskingListener masks = new MaskingListener(new GraphBlock(g));
    masks.close();
    masks.close();
    assertThrows(IllegalStateException.class, masks::applyMasks);
  }

  /** Trains {@code steps} batches manually (trainBatch + step), checking after each step. */
  private static void train(Model model, DefaultTrainingConfig config, NDArray[] xy, int steps, Runnable afterStep) {
    try (Trainer trainer = model.newTrainer(config)) {
      trainer.initialize(new Shape(16, 4));
      for (int s = 0; s < steps; s++) {
        NDManager bm = trainer.getManager().newSubManager();
        NDArray x = xy[0].duplicate();
        NDArray y = xy[1].duplicate();
        x.attach(bm);
        y.attach(bm);
        try (Batch batch = new Batch(bm, new NDList(x), new NDList(y), 16, null, null, 0, 1)) {
          EasyTrain.trainBatch(trainer, batch);
          trainer.step();
        }
        afterStep.run();
      }
    }
  }

  private static int countRegrown(Tensor mask, float[] w) {
    int n = 0;
    for (int i = 0; i < w.length; i++) {
      if (mask.data()[i] == 0f && w[i] != 0f) {
        n++;
      }
    }
    return n;
  }

  private static void assertMaskedZeroAndOthersTrained(Tensor mask, float[] before, Tensor after) {
    int kept = 0;
    int changed = 0;
    for (int i = 0; i < before.length; i++) {
      if (mask.data()[i] == 0f) {
        assertEquals(0f, after.data()[i], "pruned entry " + i + " stays exactly 0");
        assertEquals(0, Float.floatToRawIntBits(after.data()[i]) & 0x7fffffff);
      } else {
        kept++;
        if (after.data()[i] != before[i]) {
          changed++;
        }
      }
    }
    assertTrue(kept > 0);
    assertNotEquals(0, changed, "kept weights trained");
    assertTrue(changed >= kept / 2, changed + " of " + kept + " kept weights changed");
  }
}
