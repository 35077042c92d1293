package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

class GraphBlockTest {

  @Test
  void oneDjlParameterPerGraphParameterInitialisedFromGraph() {
    Graph g = TrainingFixtures.mlp(3);
    GraphBlock block = new GraphBlock(g);
    assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), new ArrayList<>(block.djlParameters().keySet()));
    assertEquals(4, block.getParameters().size());
    try (NDManager m = DjlEnvironment.newManager()) {
      block.initialize(m, DataType.FLOAT32, new Shape(5, 4));
      for (Parameter p : g.parameters()) {
        NDArray a = block.djlParameter(p.qualifiedName()).getArray();
        assertArrayEquals(p.value().data(), a.toFloatArray(), p.qualifiedName());
        assertTrue(a.hasGradient(), p.qualifiedName() + " requires a gradient");
      }
    }
  }

  @Test
  void outputShapesComeFromShapeInference() {
    GraphBlock block = new GraphBlock(TrainingFixtures.cnn(1));
    Shape[] out = block.getOutputShapes(new Shape[] {new Shape(7, 1, 8, 8)});
    assertEquals(1, out.length);
    assertEquals(new Shape(7, 2), out[0]);
    assertThrows(IllegalArgumentException.class, () -> block.getOutputShapes(new Shape[] {new Shape(7, 2, 8, 8)}));
    assertThrows(IllegalArgumentException.class, () -> block.getOutputShapes(new Shape[0]));
  }

  @Test
  void buffersNeverRequireGradientsEvenWhenUnfrozen() {
    Graph g = GraphBuilder.create(2).input("image", 2, 4, 4).conv2d("conv", 3, 3, 1, 1).batchNorm("bn").globalAvgPool().linear("fc", 2).build();
    GraphBlock block = new GraphBlock(g);
    try (NDManager m = DjlEnvironment.newManager()) {
      block.initialize(m, DataType.FLOAT32, new Shape(2, 2, 4, 4));
      block.freezeParameters(true);
      assertFalse(block.djlParameter("conv.weight").requiresGradient());
      block.freezeParameters(false);
      assertTrue(block.djlParameter("conv.weight").requiresGradient());
      assertTrue(block.djlParameter("bn.gamma").requiresGradient());
      assertFalse(block.djlParameter("bn.running_mean").requiresGradient());
      assertFalse(block.djlParameter("bn.running_var").requiresGradient());
      assertEquals(ai.djl.nn.Parameter.Type.RUNNING_VAR, block.djlParameter("bn.running_var").getType());
    }
  }

  @Test
  void initializersFromTheTrainingConfigAreIgnored() {
    Graph g = TrainingFixtures.mlp(4);
    GraphBlock block = new GraphBlock(g);
    try (Model model = Model.newInstance("mlp", DjlEnvironment.ENGINE)) {
      model.setBlock(block);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optInitializer(Initializer.ONES, p -> true);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(2, 4));
        assertArrayEquals(g.parameter("fc1.weight").value().data(), block.djlParameter("fc1.weight").getArray().toFloatArray());
      }
    }
  }

  @Test
  void syncRoundTrip() {
    Graph g = TrainingFixtures.mlp(5);
    GraphBlock block = new GraphBlock(g);
    assertThrows(IllegalStateException.class, block::syncToGraph);
    block.syncFromGraph(); // no-op before initialisation
    try (NDManager m = DjlEnvironment.newManager()) {
      block.initialize(m, DataType.FLOAT32, new Shape(1, 4));
      NDArray w = block.djlParameter("fc2.weight").getArray();
      float[] changed = new float[16];
      for (int i = 0; i < changed.length; i++) {
        changed[i] = i * 0.25f - 1f;
      }
      w.set(changed);
      Tensor before = g.parameter("fc2.weight").value();
      block.syncToGraph();
      assertArrayEquals(changed, g.parameter("fc2.weight").value().data());
      assertNotEquals(before, g.parameter("fc2.weight").value(), "a new tensor, not the old one mutated");
      assertArrayEquals(g.parameter("fc1.weight").value().data(), block.djlParameter("fc1.weight").getArray().toFloatArray());

      float[] pruned = g.parameter("fc1.weight").value().data().clone();
      pruned[0] = 0f;
      pruned[5] = 0f;
      g.parameter("fc1.weight").setValue(Tensor.of(pruned, 8, 4));
      NDArray sameArray = block.djlParameter("fc1.weight").getArray();
      block.syncFromGraph();
      assertEquals(sameArray, block.djlParameter("fc1.weight").getArray(), "updated in place");
      assertArrayEquals(pruned, sameArray.toFloatArray());
      assertTrue(sameArray.hasGradient(), "still trainable after the in-place copy");
    }
  }

  @Test
  void trainsSmallCnnAndLossDecreases() throws Exception {
    Graph g = TrainingFixtures.cnn(11);
    GraphBlock block = new GraphBlock(g);
    Tensor initialConv = g.parameter("conv1.weight").value().copy();
    try (Model model = Model.newInstance("cnn", DjlEnvironment.ENGINE);
        NDManager data = DjlEnvironment.newManager()) {
      model.setBlock(block);
      NDArray[] xy = TrainingFixtures.images(data, 64, 21);
      ArrayDataset ds = new ArrayDataset.Builder().setData(xy[0]).optLabels(xy[1]).setSampling(16, false).build();
      Loss loss = Loss.softmaxCrossEntropyLoss();
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(loss).optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.02f)).build());
      float first;
      float last;
      float accuracy;
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(16, 1, 8, 8));
        first = evaluate(trainer, loss, xy);
        EasyTrain.fit(trainer, 6, ds, null);
        last = evaluate(trainer, loss, xy);
        accuracy = accuracy(trainer, xy);
      }
      assertTrue(last < 0.5f * first, "loss " + first + " -> " + last);
      assertTrue(accuracy >= 0.95f, "accuracy " + accuracy);
      assertArrayEquals(initialConv.data(), g.parameter("conv1.weight").value().data(), "graph untouched before sync");
      block.syncToGraph();
      assertFalse(initialConv.bitEquals(g.parameter("conv1.weight").value()), "graph sees trained weights after sync");
      assertArrayEquals(
          block.djlParameter("fc.weight").getArray().toFloatArray(), g.parameter("fc.weight").value().data());
    }
  }

  @Test
  void optimizerDoesNotTouchBatchNormBuffers() {
    Graph g = GraphBuilder.create(8).input("image", 2, 4, 4).conv2d("conv", 3, 3, 1, 1).batchNorm("bn").relu().flatten().linear("fc", 2).build();
    GraphBlock block = new GraphBlock(g);
    try (Model model = Model.newInstance("bn", DjlEnvironment.ENGINE);
        NDManager data = DjlEnvironment.newManager()) {
      model.setBlock(block);
      NDArray x = data.randomNormal(new Shape(8, 2, 4, 4)).add(0.5f);
      NDArray y = data.create(new float[] {0, 1, 0, 1, 0, 1, 0, 1});
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).optWeightDecays(0.1f).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(8, 2, 4, 4));
        float[] meanInit = block.djlParameter("bn.running_mean").getArray().toFloatArray();
        float[] gammaInit = block.djlParameter("bn.gamma").getArray().toFloatArray();
        for (int step = 0; step < 3; step++) {
          try (Batch batch = batch(trainer, x, y)) {
            EasyTrain.trainBatch(trainer, batch);
            float[] meanAfterForward = block.djlParameter("bn.running_mean").getArray().toFloatArray();
            float[] varAfterForward = block.djlParameter("bn.running_var").getArray().toFloatArray();
            if (step == 0) {
              assertFalse(java.util.Arrays.equals(meanInit, meanAfterForward), "batch-norm updates running mean in training");
            }
            trainer.step();
            assertArrayEquals(meanAfterForward, block.djlParameter("bn.running_mean").getArray().toFloatArray(), "step left running mean");
            assertArrayEquals(varAfterForward, block.djlParameter("bn.running_var").getArray().toFloatArray(), "step left running var");
          }
        }
        assertFalse(java.util.Arrays.equals(gammaInit, block.djlParameter("bn.gamma").getArray().toFloatArray()), "gamma trained");
      }
    }
  }

  @Test
  void repeatedTrainPruneCyclesKeepNativeArrayCountBounded() {
    Graph g = TrainingFixtures.cnn(13);
    GraphBlock block = new GraphBlock(g);
    List<Integer> perCycle = new ArrayList<>();
    try (NDManager data = DjlEnvironment.newManager()) {
      NDManager system = data.getParentManager();
      NDArray[] xy = TrainingFixtures.images(data, 32, 5);
      int baseline = system.getManagedArrays().size();
      for (int cycle = 0; cycle < 4; cycle++) {
        // one model per cycle; the same block is initialised again from the (pruned) graph
        try (Model model = Model.newInstance("cycle" + cycle, DjlEnvironment.ENGINE);
            MaskingListener masks = new MaskingListener(block)) {
          model.setBlock(block);
          Optimizer sgd = masks.wrap(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build());
          DefaultTrainingConfig config =
              new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd).addTrainingListeners(masks);
          try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(8, 1, 8, 8));
            assertArrayEquals(g.parameter("fc.weight").value().data(), block.djlParameter("fc.weight").getArray().toFloatArray(), "re-initialised from the graph");
            int afterSecondBatch = 0;
            for (int b = 0; b < 4; b++) {
              try (NDArray xb = xy[0].get(b * 8 + ":" + (b * 8 + 8));
                  NDArray yb = xy[1].get(b * 8 + ":" + (b * 8 + 8));
                  Batch batch = batch(trainer, xb, yb)) {
                EasyTrain.trainBatch(trainer, batch);
                trainer.step();
              }
              if (b == 1) {
                afterSecondBatch = system.getManagedArrays().size();
              }
            }
            assertEquals(afterSecondBatch, system.getManagedArrays().size(), "no native arrays left behind per batch");
          }
          block.syncToGraph();
        }
        perCycle.add(system.getManagedArrays().size());
        for (String name : List.of("conv1.weight", "fc.weight")) {
          Parameter p = g.parameter(name);
          p.setMask(TrainingFixtures.magnitudeMask(p.value(), 0.1 * (cycle + 1)));
          p.applyMask();
        }
      }
      for (int c : perCycle) {
        assertEquals(baseline, c, "live native arrays after each cycle: " + perCycle);
      }
      Tensor fc = g.parameter("fc.weight").value();
      assertEquals((long) Math.floor(0.4 * fc.size()), fc.countZeros(), "last pruning applied");
    }
  }

  private static Batch batch(Trainer trainer, NDArray x, NDArray y) {
    NDManager bm = trainer.getManager().newSubManager();
    NDArray xc = x.duplicate();
    NDArray yc = y.duplicate();
    xc.attach(bm);
    yc.attach(bm);
    return new Batch(bm, new NDList(xc), new NDList(yc), (int) x.getShape().get(0), null, null, 0, 1);
  }

  static float evaluate(Trainer trainer, Loss loss, NDArray[] xy) {
    NDList preds = trainer.evaluate(new NDList(xy[0]));
    NDArray l = loss.evaluate(new NDList(xy[1]), preds);
    float v = l.getFloat();
    l.close();
    preds.close();
    return v;
  }

  private static float accuracy(Trainer trainer, NDArray[] xy) {
    NDList preds = trainer.evaluate(new NDList(xy[0]));
    float[] p = preds.singletonOrThrow().argMax(1).toType(DataType.FLOAT32, false).toFloatArray();
    float[] y = xy[1].toFloatArray();
    preds.close();
    int ok = 0;
    for (int i = 0; i < y.length; i++) {
      if (p[i] == y[i]) {
        ok++;
      }
    }
    return ok / (float) y.length;
  }
}
