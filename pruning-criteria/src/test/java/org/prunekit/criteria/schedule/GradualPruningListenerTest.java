package org.prunekit.criteria.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.core.exec.GraphBlock;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.criteria.activation.WandaCriterion;

class GradualPruningListenerTest {
  private static final int FC1 = 16 * 4;
  private static final int FC2 = 3 * 16;

  private static Graph mlp() {
    return GraphBuilder.create(7).input("x", 4).linear("fc1", 16).relu().linear("fc2", 3).build();
  }

  /** Three Gaussian blobs in 4-d: {x [n, 4], y [n]}. */
  private static NDArray[] blobs(NDManager m, int n) {
    Random r = new Random(1);
    float[] x = new float[n * 4];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      y[i] = c;
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (j == c ? 2f : -0.5f) + 0.3f * (float) r.nextGaussian();
      }
    }
    return new NDArray[] {m.create(x, new Shape(n, 4)), m.create(y, new Shape(n))};
  }

  private static long zeros(float[] mask) {
    long z = 0;
    for (float v : mask) {
      z += v == 0f ? 1 : 0;
    }
    return z;
  }

  @Test
  void stepByStepSparsityFollowsTheScheduleAndPrunedWeightsStayZero() {
    // updates at steps 0, 5, 10, 15, 20; training runs 30 batches with Adam (stateful)
    PolynomialDecaySchedule schedule = PolynomialDecaySchedule.cubic(0, 0.75, 0, 20, 5);
    Graph g = mlp();
    GraphBlock block = new GraphBlock(g);
    try (Model model = Model.newInstance("gmp", DjlEnvironment.ENGINE);
        NDManager data = DjlEnvironment.newManager();
        GradualPruningListener gmp = GradualPruningListener.builder().setBlock(block).setSchedule(schedule).build()) {
      model.setBlock(block);
      NDArray[] xy = blobs(data, 24);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build();
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(gmp.wrap(adam)).addTrainingListeners(gmp);
      long prev1 = 0;
      long prev2 = 0;
      float[] fc1AtEnd = null;
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(24, 4));
        for (int t = 0; t < 30; t++) {
          NDManager bm = trainer.getManager().newSubManager();
          NDArray x = xy[0].duplicate();
          NDArray y = xy[1].duplicate();
          x.attach(bm);
          y.attach(bm);
          try (Batch batch = new Batch(bm, new NDList(x), new NDList(y), 24, null, null, 0, 1)) {
            EasyTrain.trainBatch(trainer, batch);
            trainer.step();
          }
          double target = schedule.targetAt(t);
          float[] m1 = g.parameter("fc1.weight").mask().data();
          float[] m2 = g.parameter("fc2.weight").mask().data();
          long z1 = zeros(m1);
          long z2 = zeros(m2);
          assertEquals((long) Math.floor(target * FC1), z1, "fc1 zeros after step " + t);
          assertEquals((long) Math.floor(target * FC2), z2, "fc2 zeros after step " + t);
          assertTrue(z1 >= prev1 && z2 >= prev2, "sparsity never decreases (step " + t + ")");
          prev1 = z1;
          prev2 = z2;
          float[] w1 = block.djlParameter("fc1.weight").getArray().toFloatArray();
          float[] w2 = block.djlParameter("fc2.weight").getArray().toFloatArray();
          for (int i = 0; i < w1.length; i++) {
            if (m1[i] == 0f) {
              assertEquals(0f, w1[i], "pruned fc1 weight " + i + " after step " + t);
            }
          }
          for (int i = 0; i < w2.length; i++) {
            if (m2[i] == 0f) {
              assertEquals(0f, w2[i], "pruned fc2 weight " + i + " after step " + t);
            }
          }
          if (t == 20) {
            fc1AtEnd = w1;
          }
        }
        // final sparsity exactly at endStep: floor(0.75 * 64) = 48 and floor(0.75 * 48) = 36
        assertEquals(48, prev1);
        assertEquals(36, prev2);
        // kept weights kept training after the last update (Adam moved them)
        float[] now = block.djlParameter("fc1.weight").getArray().toFloatArray();
        int moved = 0;
        for (int i = 0; i < now.length; i++) {
          moved += g.parameter("fc1.weight").mask().data()[i] != 0f && now[i] != fc1AtEnd[i] ? 1 : 0;
        }
        assertTrue(moved > 0, "surviving weights still train after endStep");
      }
      assertEquals(30, gmp.step());
      assertEquals(5, gmp.updates().size());
      assertEquals(0.75, gmp.updates().get(4).targetSparsity(), 0);
      assertEquals(20, gmp.updates().get(4).step());
      // schedule value at step 5: 0.75 * (1 - 0.75^3)
      assertEquals(0.75 * (1 - Math.pow(0.75, 3)), gmp.updates().get(1).targetSparsity(), 1e-12);
    }
  }

  @Test
  void easyTrainFitReachesFinalSparsityWithMomentumSgd() throws Exception {
    PolynomialDecaySchedule schedule = PolynomialDecaySchedule.cubic(0.1, 0.5, 2, 8, 2);
    Graph g = mlp();
    GraphBlock block = new GraphBlock(g);
    try (Model model = Model.newInstance("gmp-fit", DjlEnvironment.ENGINE);
        NDManager data = DjlEnvironment.newManager();
        GradualPruningListener gmp = GradualPruningListener.builder().setBlock(block).setSchedule(schedule).build()) {
      model.setBlock(block);
      NDArray[] xy = blobs(data, 48);
      ArrayDataset ds = new ArrayDataset.Builder().setData(xy[0]).optLabels(xy[1]).setSampling(8, false).build();
      Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f).build();
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(gmp.wrap(sgd)).addTrainingListeners(gmp);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(8, 4));
        EasyTrain.fit(trainer, 2, ds, null); // 6 batches per epoch: steps 0..11
      }
      block.syncToGraph();
      assertEquals(12, gmp.step(), "2 epochs of 6 batches");
      // updates at 2, 4, 6, 8; the first with the initial sparsity 0.1, the last with the final 0.5
      assertEquals(4, gmp.updates().size());
      assertEquals(2, gmp.updates().get(0).step());
      assertEquals(0.1, gmp.updates().get(0).targetSparsity(), 1e-12);
      assertEquals(0.5, gmp.updates().get(3).targetSparsity(), 0);
    }
    float[] m1 = g.parameter("fc1.weight").mask().data();
    assertEquals(32, zeros(m1)); // floor(0.5 * 64)
    assertEquals(24, zeros(g.parameter("fc2.weight").mask().data())); // floor(0.5 * 48)
    float[] w1 = g.parameter("fc1.weight").value().data();
    for (int i = 0; i < m1.length; i++) {
      if (m1[i] == 0f) {
        assertEquals(0, Float.floatToRawIntBits(w1[i]), "pruned weight " + i + " is +0 after training");
      }
    }
  }

  @Test
  void rejectsCriteriaThatNeedCalibrationAndMissingParts() {
    GraphBlock block = new GraphBlock(mlp());
    PolynomialDecaySchedule s = PolynomialDecaySchedule.cubic(0, 0.5, 0, 10, 1);
    assertThrows(IllegalArgumentException.class, () -> GradualPruningListener.builder().setBlock(block)
        .setSchedule(s).optCriterion(new WandaCriterion()).build());
    assertThrows(IllegalArgumentException.class, () -> GradualPruningListener.builder().setSchedule(s).build());
    assertThrows(IllegalArgumentException.class, () -> GradualPruningListener.builder().setBlock(block).build());
    GradualPruningListener l = GradualPruningListener.builder().setBlock(block).setSchedule(s).build();
    l.close();
    assertThrows(IllegalStateException.class, () -> l.wrap(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f))
        .build()));
  }
}
