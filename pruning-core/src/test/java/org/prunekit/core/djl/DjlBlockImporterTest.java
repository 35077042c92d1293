package org.prunekit.core.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.NormalInitializer;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool.Kind;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

class DjlBlockImporterTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static Block init(Block b, Shape in) {
    b.setInitializer(new NormalInitializer(0.5f), ai.djl.nn.Parameter.Type.WEIGHT);
    b.setInitializer(new NormalInitializer(0.5f), ai.djl.nn.Parameter.Type.BIAS);
    b.initialize(manager, DataType.FLOAT32, in);
    return b;
  }

  private static Block cnn() {
    SequentialBlock residual = new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).optPadding(new Shape(1, 1)).build())
        .add(BatchNorm.builder().optEpsilon(1e-3f).optMomentum(0.99f).build())
        .add(Activation.reluBlock());
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).optPadding(new Shape(1, 1))
            .optStride(new Shape(1, 1)).build())
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)))
        .add(new ParallelBlock(DjlJoins.ADD, List.of(residual, Blocks.identityBlock())))
        .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(16).optGroups(2).optBias(false)
            .optDilation(new Shape(1, 1)).build())
        .add(Pool.avgPool2dBlock(new Shape(2, 2)))
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(10).build())
        .add(LayerNorm.builder().build())
        .add(Dropout.builder().optRate(0.25f).build())
        .add(Activation.geluBlock())
        .add(Linear.builder().setUnits(3).optBias(false).build());
  }

  @Test
  void importsCnnStructureAndWeights() {
    Shape in = new Shape(2, 3, 16, 16);
    Block block = init(cnn(), in);
    Graph g = DjlBlockImporter.importBlock(block, in);
    List<String> names = g.nodes().stream().map(Node::name).collect(Collectors.toList());
    assertEquals(List.of("01Conv2d", "02BatchNorm", "03LambdaBlock", "04LambdaBlock",
        "05ParallelBlock_01SequentialBlock_01Conv2d", "05ParallelBlock_01SequentialBlock_02BatchNorm",
        "05ParallelBlock_01SequentialBlock_03LambdaBlock", "05ParallelBlock", "06Conv2d", "07LambdaBlock",
        "08LambdaBlock", "09Linear", "10LayerNorm", "11Dropout", "12LambdaBlock", "13Linear"), names);
    assertEquals(new org.prunekit.core.graph.Shape(3, 16, 16), g.inputs().get(0).sampleShape());
    assertEquals(new Conv(2, 3, 8, new int[] {3, 3}, new int[] {1, 1}, Padding.symmetric(2, 1), new int[] {1, 1}, 1, true),
        g.node("01Conv2d").op());
    assertEquals(new org.prunekit.core.graph.op.Pool(Kind.MAX, 2, new int[] {3, 3}, new int[] {2, 2},
        Padding.symmetric(2, 1), false), g.node("04LambdaBlock").op());
    assertEquals(new org.prunekit.core.graph.op.Activation(org.prunekit.core.graph.op.Activation.Kind.RELU, -1),
        g.node("03LambdaBlock").op());
    Node join = g.node("05ParallelBlock");
    assertEquals(new Add(), join.op());
    assertEquals(List.of("05ParallelBlock_01SequentialBlock_03LambdaBlock", "04LambdaBlock"), join.inputs());
    org.prunekit.core.graph.op.BatchNorm bn =
        (org.prunekit.core.graph.op.BatchNorm) g.node("05ParallelBlock_01SequentialBlock_02BatchNorm").op();
    assertEquals(1e-3f, bn.epsilon());
    assertEquals(0.01f, bn.momentum(), 1e-6f);
    Conv grouped = (Conv) g.node("06Conv2d").op();
    assertEquals(2, grouped.groups());
    assertEquals(false, grouped.bias());
    assertEquals(new org.prunekit.core.graph.op.Pool(Kind.AVG, 2, new int[] {2, 2}, new int[] {2, 2},
        Padding.valid(2), true), g.node("07LambdaBlock").op());
    assertEquals(new Flatten(1), g.node("08LambdaBlock").op());
    assertEquals(new org.prunekit.core.graph.op.Linear(16 * 4 * 4, 10, true), g.node("09Linear").op());
    assertEquals(new org.prunekit.core.graph.op.Dropout(0.25f), g.node("11Dropout").op());
    assertEquals(org.prunekit.core.graph.op.Activation.Kind.GELU,
        ((org.prunekit.core.graph.op.Activation) g.node("12LambdaBlock").op()).kind());
    assertEquals(new org.prunekit.core.graph.op.Linear(10, 3, false), g.node("13Linear").op());
    assertEquals(new org.prunekit.core.graph.Shape(2, 3), g.inferShapes(2).get("13Linear"));

    // Weights are copies of DJL's arrays, element for element.
    SequentialBlock s = (SequentialBlock) block;
    assertSame(s.getChildren().get(0).getValue(), "weight", g, "01Conv2d.weight");
    assertSame(s.getChildren().get(0).getValue(), "bias", g, "01Conv2d.bias");
    assertSame(s.getChildren().get(1).getValue(), "runningVar", g, "02BatchNorm.running_var");
    Block inner = ((SequentialBlock) s.getChildren().get(4).getValue().getChildren().get(0).getValue())
        .getChildren().get(1).getValue();
    assertSame(inner, "gamma", g, "05ParallelBlock_01SequentialBlock_02BatchNorm.gamma");
    assertSame(s.getChildren().get(5).getValue(), "weight", g, "06Conv2d.weight");
    assertSame(s.getChildren().get(8).getValue(), "weight", g, "09Linear.weight");
    assertSame(s.getChildren().get(9).getValue(), "beta", g, "10LayerNorm.beta");
    assertSame(s.getChildren().get(12).getValue(), "weight", g, "13Linear.weight");
    long djlParams = 0;
    for (var p : block.getParameters()) {
      djlParams += p.getValue().getArray().size();
    }
    assertEquals(djlParams, g.parameters().stream().mapToLong(org.prunekit.core.graph.Parameter::numel).sum());
  }

  @Test
  void importedGraphComputesWhatDjlComputes() {
    Shape in = new Shape(2, 3, 16, 16);
    Block block = init(cnn(), in);
    Graph g = DjlBlockImporter.importBlock(block, in);
    float[] x = new float[(int) in.size()];
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    try (NDManager sub = manager.newSubManager();
        org.prunekit.core.exec.GraphExecutor ex = org.prunekit.core.exec.GraphExecutor.create(g)) {
      NDList djl = block.forward(new ai.djl.training.ParameterStore(sub, false),
          new NDList(sub.create(x, in)), false);
      Tensor expected = TensorConversions.fromDjl(djl.singletonOrThrow());
      Tensor actual = ex.predict(Tensor.of(x, 2, 3, 16, 16));
      assertEquals(expected.shape(), actual.shape());
      float maxAbs = 0;
      for (int i = 0; i < expected.size(); i++) {
        maxAbs = Math.max(maxAbs, Math.abs(expected.data()[i]));
        assertEquals(expected.data()[i], actual.data()[i], 1e-4f + 1e-4f * Math.abs(expected.data()[i]), "output " + i);
      }
      assertTrue(maxAbs > 1e-2f, "non-trivial output");
    }
  }

  private static void assertSame(Block b, String djlName, Graph g, String param) {
    Tensor expected = TensorConversions.fromDjl(b.getParameters().get(djlName).getArray());
    Tensor actual = g.parameter(param).value();
    assertTrue(expected.bitEquals(actual), param);
  }

  @Test
  void importsConv1dAndGlobalPoolAndConcat() {
    Shape in = new Shape(1, 4, 10);
    Block b = init(new SequentialBlock()
        .add(new ParallelBlock(DjlJoins.CONCAT_CHANNELS, List.of(
            Conv1d.builder().setKernelShape(new Shape(3)).setFilters(2).optPadding(new Shape(1)).build(),
            Activation.sigmoidBlock())))
        .add(Pool.globalMaxPool1dBlock()), in);
    Graph g = DjlBlockImporter.builder().optInputName("signal").build().convert(b, in);
    assertEquals("signal", g.inputs().get(0).name());
    assertEquals(new org.prunekit.core.graph.op.Concat(1), g.node("01ParallelBlock").op());
    assertEquals(new GlobalPool(Kind.MAX, false), g.node("02LambdaBlock").op());
    assertEquals(new org.prunekit.core.graph.Shape(1, 6), g.inferShapes(1).get("02LambdaBlock"));
  }

  @Test
  void unsupportedBlocksFailWithTheirPathAndName() {
    Shape in = new Shape(1, 4);
    Block custom = init(new SequentialBlock().add(Linear.builder().setUnits(4).build())
        .add(new SequentialBlock().add(new LambdaBlock(x -> x, "myScale"))), in);
    UnsupportedBlockException e = assertThrows(UnsupportedBlockException.class,
        () -> DjlBlockImporter.importBlock(custom, in));
    assertEquals("02SequentialBlock_01LambdaBlock", e.path());
    assertTrue(e.getMessage().contains("myScale"), e.getMessage());

    Block join = init(new ParallelBlock(l -> l.get(0), List.of(Activation.reluBlock(), Activation.tanhBlock())), in);
    e = assertThrows(UnsupportedBlockException.class, () -> DjlBlockImporter.importBlock(join, in));
    assertEquals("ParallelBlock", e.path());
    assertTrue(e.getMessage().contains("join function"), e.getMessage());

    java.util.function.Function<List<NDList>, NDList> mine = l -> l.get(0);
    Block registered = init(new ParallelBlock(mine, List.of(Activation.reluBlock(), Activation.tanhBlock())), in);
    Graph g = DjlBlockImporter.builder().optJoin(mine, DjlJoins.Join.ADD).build().convert(registered, in);
    assertEquals(new Add(), g.node("ParallelBlock").op());

    Shape img = new Shape(1, 2, 4, 4);
    Block deconv = init(new SequentialBlock().add(Activation.reluBlock())
        .add(Conv2dTranspose.builder().setKernelShape(new Shape(2, 2)).setFilters(2).build()), img);
    e = assertThrows(UnsupportedBlockException.class, () -> DjlBlockImporter.importBlock(deconv, img));
    assertEquals("02Conv2dTranspose", e.path());
    assertTrue(e.getMessage().contains("Conv2dTranspose"), e.getMessage());

    Block ceil = init(new SequentialBlock().add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2),
        new Shape(0, 0), true)), img);
    e = assertThrows(UnsupportedBlockException.class, () -> DjlBlockImporter.importBlock(ceil, img));
    assertTrue(e.getMessage().contains("ceilMode"), e.getMessage());

    Block elu = init(new SequentialBlock().add(Activation.eluBlock(1f)), in);
    e = assertThrows(UnsupportedBlockException.class, () -> DjlBlockImporter.importBlock(elu, in));
    assertTrue(e.getMessage().contains("01LambdaBlock") && e.getMessage().contains("ELU"), e.getMessage());

    Block fresh = new SequentialBlock().add(Linear.builder().setUnits(2).build());
    assertThrows(IllegalArgumentException.class, () -> DjlBlockImporter.importBlock(fresh, in));
  }
}
