package org.prunekit.core.cost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.tensor.Tensor;

class CostModelLinearConvTest {

  @Test
  void linearTwoToThreeBatchFour() {
    NodeCost c = CostModel.of(CostTestGraphs.linear(2, 3, true), 4).node("fc");
    assertEquals("linear", c.opType());
    assertEquals(new Shape(4, 3), c.outputShape());
    assertEquals(24, c.macs()); // 4 tokens * 2 in * 3 out
    assertEquals(24, c.effectiveMacs());
    assertEquals(12, c.elementOps()); // bias add per output element
    assertEquals(9, c.params()); // 6 weights + 3 biases
    assertEquals(9, c.nonZeroParams());
    assertEquals(4 * (8 + 9), c.bytesRead()); // input 4x2 + parameters
    assertEquals(4 * 12, c.bytesWritten());
    assertEquals(68, c.effectiveBytesRead());
    assertEquals(0, c.sparseIndexBytes());
  }

  @Test
  void linearOverSequenceCountsEveryToken() {
    Graph g = GraphBuilder.create(1).input("x", 5, 2).linear("fc", 3, false).build();
    NodeCost c = CostModel.of(g, 2).node("fc");
    assertEquals(2 * 5 * 2 * 3, c.macs());
    assertEquals(0, c.elementOps());
  }

  @Test
  void maskedLinearAtHalfHalvesEffectiveMacsAndNonZeros() {
    Graph g = CostTestGraphs.linear(4, 2, false);
    Parameter w = g.parameter("fc.weight");
    float[] before = w.value().data().clone();
    w.setMask(Tensor.of(new float[] {1, 0, 1, 0, 1, 0, 1, 0}, 2, 4));
    NodeCost c = CostModel.of(g, 3).node("fc");
    assertEquals(24, c.macs());
    assertEquals(12, c.effectiveMacs()); // 3 tokens * 4 kept weights
    assertEquals(8, c.params());
    assertEquals(4, c.nonZeroParams()); // stored values are non-zero; the mask wins
    assertEquals(4 * (12 + 8), c.bytesRead());
    assertEquals(4 * (12 + 4), c.effectiveBytesRead());
    assertEquals(4 * 4, c.sparseIndexBytes());
    assertArrayEquals(before, w.value().data(), "counting must not apply the mask");
  }

  @Test
  void storedZeroCountsAsZeroWithoutMask() {
    Graph g = CostTestGraphs.linear(4, 2, false);
    g.parameter("fc.weight").value().data()[5] = 0f;
    NodeCost c = CostModel.of(g, 1).node("fc");
    assertEquals(7, c.nonZeroParams());
    assertEquals(7, c.effectiveMacs());
    assertEquals(8, c.macs());
  }

  @Test
  void groupedConvWithStrideAndPadding() {
    Graph g = GraphBuilder.create(3).input("x", 3, 8, 8)
        .node("conv", new Conv(2, 3, 6, new int[] {3, 3}, new int[] {2, 2}, Padding.symmetric(2, 1),
            new int[] {1, 1}, 3, true), "x")
        .build();
    NodeCost c = CostModel.of(g, 2).node("conv");
    assertEquals(new Shape(2, 6, 4, 4), c.outputShape()); // floor((8 + 2 - 3) / 2) + 1 = 4
    assertEquals(2L * 16 * 6 * (3 / 3) * 9, c.macs()); // 1728
    assertEquals(1728, c.macs());
    assertEquals(6 * 1 * 9 + 6, c.params());
    assertEquals(2 * 6 * 16, c.elementOps());
    assertEquals(4 * (2 * 3 * 64 + 60), c.bytesRead()); // 1776
    assertEquals(4 * 2 * 6 * 16, c.bytesWritten()); // 768
  }

  @Test
  void depthwiseConv() {
    Conv dw = new Conv(2, 4, 4, new int[] {3, 3}, new int[] {1, 1}, Padding.symmetric(2, 1), new int[] {1, 1}, 4,
        false);
    assertTrue(dw.isDepthwise());
    Graph g = GraphBuilder.create(3).input("x", 4, 5, 5).node("dw", dw, "x").build();
    NodeCost c = CostModel.of(g, 1).node("dw");
    assertEquals(900, c.macs()); // 25 positions * 4 channels * 1 in/group * 9
    assertEquals(36, c.params());
    assertEquals(0, c.elementOps());
  }

  @Test
  void conv1dSamePaddingStrideTwo() {
    Conv c1 = new Conv(1, 2, 3, new int[] {3}, new int[] {2}, Padding.same(1), new int[] {1}, 1, false);
    Graph g = GraphBuilder.create(3).input("x", 2, 7).node("c", c1, "x").build();
    NodeCost c = CostModel.of(g, 1).node("c");
    assertEquals(new Shape(1, 3, 4), c.outputShape()); // ceil(7 / 2)
    assertEquals(4 * 3 * 2 * 3, c.macs()); // 72
  }

  @Test
  void dilatedConvUsesOutputPositions() {
    Conv c2 = new Conv(2, 1, 1, new int[] {3, 3}, new int[] {1, 1}, Padding.valid(2), new int[] {2, 2}, 1, false);
    Graph g = GraphBuilder.create(3).input("x", 1, 7, 7).node("c", c2, "x").build();
    NodeCost c = CostModel.of(g, 1).node("c");
    assertEquals(new Shape(1, 1, 3, 3), c.outputShape()); // effective window 5
    assertEquals(9 * 9, c.macs());
  }

  @Test
  void maskedConvSkipsMaskedKernelElements() {
    Graph g = GraphBuilder.create(3).input("x", 1, 3, 3)
        .node("c", new Conv(2, 1, 2, new int[] {2, 2}, new int[] {1, 1}, Padding.valid(2), new int[] {1, 1}, 1,
            false), "x")
        .build();
    g.parameter("c.weight").setMask(Tensor.of(new float[] {1, 1, 0, 0, 0, 1, 0, 1}, 2, 1, 2, 2));
    NodeCost c = CostModel.of(g, 1).node("c");
    assertEquals(4 * 8, c.macs()); // 2x2 output positions * 8 weights
    assertEquals(4 * 4, c.effectiveMacs());
    assertEquals(4, c.nonZeroParams());
  }

  @Test
  void physicallySmallerLinearHasSmallerDenseFigures() {
    CostTotals big = CostModel.of(CostTestGraphs.linear(2, 3, true), 4).total();
    CostTotals small = CostModel.of(CostTestGraphs.linear(2, 2, true), 4).total();
    assertEquals(24, big.macs());
    assertEquals(16, small.macs());
    assertEquals(6, small.params());
  }
}
