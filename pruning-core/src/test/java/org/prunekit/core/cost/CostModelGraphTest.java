package org.prunekit.core.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.tensor.Tensor;

class CostModelGraphTest {

  @Test
  void everyOpTypeHasACostRule() {
    Set<Class<?>> permitted = Arrays.stream(Op.class.getPermittedSubclasses()).collect(Collectors.toSet());
    assertEquals(permitted, Set.copyOf(OpCosts.COVERED));
  }

  @Test
  void poolingAndActivationsAreElementOpsNotMacs() {
    Graph g = GraphBuilder.create(1).input("x", 2, 4, 4)
        .relu()
        .maxPool2d(2)
        .from("relu_1")
        .node("avg", new Pool(Pool.Kind.AVG, 2, new int[] {3, 3}, new int[] {1, 1}, Padding.symmetric(2, 1), true),
            "relu_1")
        .node("gap", new GlobalPool(Pool.Kind.AVG, false), "avg")
        .build();
    CostReport r = CostModel.of(g, 1);
    NodeCost relu = r.node("relu_1");
    assertEquals(0, relu.macs());
    assertEquals(32, relu.elementOps());
    assertEquals(128, relu.bytesRead());
    assertEquals(128, relu.bytesWritten());
    NodeCost max = r.node("maxpool_2");
    assertEquals(0, max.macs());
    assertEquals(8 * 4, max.elementOps()); // 8 outputs, 2x2 window
    assertEquals(128, max.bytesRead());
    assertEquals(32, max.bytesWritten());
    assertEquals(32 * 9, r.node("avg").elementOps()); // 3x3 window, padding counted
    assertEquals(32, r.node("gap").elementOps());
    assertEquals(new Shape(1, 2), r.node("gap").outputShape());
    assertEquals(0, r.total().macs());
    assertEquals(0, r.total().params());
  }

  @Test
  void addConcatFlattenAndEmbedding() {
    Graph g = GraphBuilder.create(2).input("ids", 5)
        .embedding("emb", 10, 4)
        .from("emb").linear("a", 4, false)
        .from("emb").linear("b", 4, false)
        .add("sum", "a", "b")
        .add("sum3", "a", "b", "sum")
        .concat("cat", "a", "b")
        .flatten()
        .build();
    g.parameter("emb.weight").setMask(Tensor.of(rowMask(10, 4, 5), 10, 4));
    CostReport r = CostModel.of(g, 2);
    NodeCost emb = r.node("emb");
    assertEquals(new Shape(2, 5, 4), emb.outputShape());
    assertEquals(0, emb.macs());
    assertEquals(40, emb.params());
    assertEquals(20, emb.nonZeroParams());
    assertEquals(4 * (10 + 10 * 4), emb.bytesRead()); // ids + one row per token
    assertEquals(4 * (10 + 20), emb.effectiveBytesRead()); // half the rows are zero
    assertEquals(4 * 20, emb.sparseIndexBytes());
    assertEquals(4 * 40, emb.bytesWritten());
    NodeCost sum = r.node("sum");
    assertEquals(40, sum.elementOps());
    assertEquals(0, sum.macs());
    assertEquals(4 * 80, sum.bytesRead());
    assertEquals(80, r.node("sum3").elementOps());
    NodeCost cat = r.node("cat");
    assertEquals(0, cat.elementOps());
    assertEquals(4 * 80, cat.bytesRead());
    assertEquals(4 * 80, cat.bytesWritten());
    NodeCost flat = r.node("flatten_1");
    assertEquals(0, flat.bytesRead() + flat.bytesWritten() + flat.elementOps());
    assertEquals(2 * 5 * 4 * 4, r.node("a").macs()); // 10 tokens * 4 in * 4 out
  }

  private static float[] rowMask(int rows, int dim, int keptRows) {
    float[] m = new float[rows * dim];
    Arrays.fill(m, 0, keptRows * dim, 1f);
    return m;
  }

  @Test
  void lenetTotalsMatchAHandSum() {
    CostReport r = CostModel.of(CostTestGraphs.lenet(120), 2);
    long conv1 = 2L * 24 * 24 * 6 * 1 * 25; // 172800
    long conv2 = 2L * 8 * 8 * 16 * 6 * 25; // 307200
    long fc1 = 2L * 256 * 120; // 61440
    long fc2 = 2L * 120 * 84; // 20160
    long fc3 = 2L * 84 * 10; // 1680
    assertEquals(conv1, r.node("conv1").macs());
    assertEquals(conv2, r.node("conv2").macs());
    assertEquals(fc1, r.node("fc1").macs());
    assertEquals(563280, conv1 + conv2 + fc1 + fc2 + fc3);
    assertEquals(563280, r.total().macs());
    assertEquals(563280, r.total().effectiveMacs()); // random weights are never exactly zero
    assertEquals(156 + 2416 + 30840 + 10164 + 850, r.total().params()); // 44426
    assertEquals(44426 - (6 + 16 + 120 + 84 + 10), r.total().nonZeroParams()); // zero-initialised biases
    assertEquals(4 * (2 * 784 + 156), r.node("conv1").bytesRead());
    assertEquals(4 * 2 * 6 * 576, r.node("conv1").bytesWritten());
    long written = r.nodes().stream().mapToLong(NodeCost::bytesWritten).sum();
    assertEquals(written, r.total().bytesWritten());
  }

  /** The worked example of docs/accounting.md: LeNet-5, batch 1, every other fc1 weight masked. */
  @Test
  void workedExampleOfTheDocs() {
    Graph g = CostTestGraphs.lenet(120);
    float[] m = new float[120 * 256];
    for (int i = 0; i < m.length; i += 2) {
      m[i] = 1f;
    }
    g.parameter("fc1.weight").setMask(Tensor.of(m, 120, 256));
    CostReport r = CostModel.of(g, 1);
    assertEquals(new NodeCost("conv1", "conv", new Shape(1, 6, 24, 24), 86400, 86400, 3456, 156, 150, 3760, 13824,
        3736, 0), r.node("conv1"));
    assertEquals(new NodeCost("maxpool_2", "pool", new Shape(1, 6, 12, 12), 0, 0, 3456, 0, 0, 13824, 3456, 13824, 0),
        r.node("maxpool_2"));
    assertEquals(new NodeCost("fc1", "linear", new Shape(1, 120), 30720, 15360, 120, 30840, 15360, 124384, 480,
        62464, 61440), r.node("fc1"));
    assertEquals(new CostTotals(281640, 266280, 13858, 44426, 28830, 222792, 41992, 160408, 61440), r.total());
  }

  @Test
  void smallerFc1GivesSmallerDenseTotals() {
    long full = CostModel.of(CostTestGraphs.lenet(120), 2).total().macs();
    long pruned = CostModel.of(CostTestGraphs.lenet(60), 2).total().macs();
    assertEquals(2L * 256 * 60 + 2L * 60 * 84, full - pruned);
  }

  @Test
  void explicitInputShapesMatchBatchForm() {
    Graph g = CostTestGraphs.lenet(120);
    CostReport a = CostModel.of(g, 3);
    CostReport b = CostModel.of(g, Map.of("image", new Shape(3, 1, 28, 28)));
    assertEquals(a.total(), b.total());
    assertEquals(new Shape(3, 1, 28, 28), b.inputShapes().get("image"));
  }

  @Test
  void badInputsGiveClearErrors() {
    Graph g = CostTestGraphs.lenet(120);
    assertThrows(IllegalArgumentException.class, () -> CostModel.of(g, 0));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> CostModel.of(g, Map.of("image", new Shape(1, 1, 28, 28), "extra", new Shape(1))));
    assertTrue(unknown.getMessage().contains("'extra'"), unknown.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> CostModel.of(g, Map.of()));
    assertTrue(missing.getMessage().contains("'image'"), missing.getMessage());
    RuntimeException shape = assertThrows(RuntimeException.class,
        () -> CostModel.of(g, Map.of("image", new Shape(1, 3, 28, 28))));
    assertTrue(shape.getMessage().contains("conv1"), shape.getMessage());
    IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
        () -> CostModel.of(g, 1).node("nope"));
    assertTrue(node.getMessage().contains("'nope'"));
  }

  @Test
  void tableAndJsonCarryTheFigures() {
    CostReport r = CostModel.of(CostTestGraphs.lenet(120), 2);
    String table = r.toTable();
    assertTrue(table.contains("TOTAL"));
    assertTrue(table.contains("conv1"));
    assertTrue(table.contains("563280"), table);
    JsonObject json = JsonParser.parseString(r.toJson()).getAsJsonObject();
    assertEquals(563280L, json.getAsJsonObject("total").get("macs").getAsLong());
    assertEquals("conv1", json.getAsJsonArray("nodes").get(0).getAsJsonObject().get("node").getAsString());
    assertEquals(2, json.getAsJsonObject("inputs").getAsJsonArray("image").get(0).getAsInt());
    assertThrows(UnsupportedOperationException.class, () -> r.nodes().clear());
    assertThrows(UnsupportedOperationException.class, () -> r.toMap().put("x", 1));
  }
}
