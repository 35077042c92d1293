package org.prunekit.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Mul;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.RmsNorm;

/** Shape inference, one case per layer type, plus the errors that name the node at fault. */
class ShapeInferenceTest {
  private static Shape s(int... d) {
    return new Shape(d);
  }

  private static Shape infer(org.prunekit.core.graph.op.Op op, Shape... in) {
    return op.inferShape("n", List.of(in));
  }

  @Test
  void linearActsOnLastDimension() {
    assertEquals(s(4, 3), infer(new Linear(2, 3, true), s(4, 2)));
    assertEquals(s(2, 5, 3), infer(new Linear(2, 3, false), s(2, 5, 2)));
  }

  @Test
  void convOutputSizeWithStridePaddingDilation() {
    // 28x28, k=5, pad 2, stride 1 -> 28x28
    assertEquals(s(1, 8, 28, 28), infer(Conv.simple(2, 1, 8, 5, 2), s(1, 1, 28, 28)));
    // floor((10 + 2 - 2*(3-1) - 1) / 2) + 1 = 4
    Conv dil = new Conv(2, 4, 6, new int[] {3, 3}, new int[] {2, 2}, Padding.symmetric(2, 1), new int[] {2, 2}, 2, false);
    assertEquals(s(1, 6, 4, 4), infer(dil, s(1, 4, 10, 10)));
    // 1d and 3d
    assertEquals(s(2, 3, 8), infer(Conv.simple(1, 2, 3, 3, 1), s(2, 2, 8)));
    assertEquals(s(1, 4, 3, 6, 6), infer(Conv.simple(3, 2, 4, 3, 0), s(1, 2, 5, 8, 8)));
  }

  @Test
  void tensorflowSamePaddingIsAsymmetricAndCeilsTheOutput() {
    Conv same = new Conv(2, 1, 1, new int[] {3, 3}, new int[] {2, 2}, Padding.same(2), new int[] {1, 1}, 1, false);
    assertEquals(s(1, 1, 2, 2), infer(same, s(1, 1, 4, 4)));
    Padding p = Padding.same(2).resolve(new int[] {4, 4}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1});
    assertEquals(0, p.begin()[0]);
    assertEquals(1, p.end()[0]);
    assertEquals(s(1, 1, 3, 3), infer(same, s(1, 1, 5, 5)));
  }

  @Test
  void depthwiseConvNeedsGroupsDividingChannels() {
    Conv dw = new Conv(2, 8, 8, new int[] {3, 3}, new int[] {1, 1}, Padding.symmetric(2, 1), new int[] {1, 1}, 8, true);
    assertTrue(dw.isDepthwise());
    assertEquals(s(8, 1, 3, 3), dw.parameterSpecs().get(0).shape());
    assertThrows(IllegalArgumentException.class,
        () -> new Conv(2, 6, 8, new int[] {3, 3}, new int[] {1, 1}, Padding.valid(2), new int[] {1, 1}, 4, true));
  }

  @Test
  void normalisationsKeepShape() {
    assertEquals(s(2, 3, 4, 4), infer(BatchNorm.of(3), s(2, 3, 4, 4)));
    assertEquals(s(2, 5, 8), infer(new LayerNorm(8, 1e-5f, true), s(2, 5, 8)));
    assertEquals(s(2, 5, 8), infer(new RmsNorm(8, 1e-5f), s(2, 5, 8)));
  }

  @Test
  void embeddingAndAttention() {
    assertEquals(s(2, 7, 16), infer(new Embedding(65, 16), s(2, 7)));
    Attention gqa = new Attention(16, 4, 2, 4, true, 10000f, false);
    assertEquals(s(2, 7, 16), infer(gqa, s(2, 7, 16)));
    assertEquals(s(8, 16), gqa.parameterSpecs().get(1).shape()); // k: 2 kv heads * 4
    assertEquals(2, gqa.groupSize());
    assertThrows(IllegalArgumentException.class, () -> new Attention(16, 4, 3, 4, false, 0f, false));
  }

  @Test
  void poolingFlattenReshape() {
    assertEquals(s(1, 3, 14, 14), infer(Pool.of(Pool.Kind.MAX, 2, 2), s(1, 3, 28, 28)));
    assertEquals(s(1, 3, 9, 9), infer(Pool.of(Pool.Kind.AVG, 2, 3), s(1, 3, 28, 28)));
    assertEquals(s(1, 3), infer(new GlobalPool(Pool.Kind.AVG, false), s(1, 3, 5, 5)));
    assertEquals(s(1, 3, 1, 1), infer(new GlobalPool(Pool.Kind.MAX, true), s(1, 3, 5, 5)));
    assertEquals(s(2, 75), infer(new Flatten(1), s(2, 3, 5, 5)));
    assertEquals(s(2, 3, 25), infer(new Flatten(2), s(2, 3, 5, 5)));
    assertEquals(s(2, 5, 15), infer(new Reshape(new int[] {5, -1}), s(2, 3, 5, 5)));
  }

  @Test
  void mergesAndPassThrough() {
    assertEquals(s(1, 4, 2, 2), infer(new Add(), s(1, 4, 2, 2), s(1, 4, 2, 2)));
    assertEquals(s(1, 4), infer(new Mul(), s(1, 4), s(1, 4)));
    assertEquals(s(1, 7, 2, 2), infer(new Concat(1), s(1, 4, 2, 2), s(1, 3, 2, 2)));
    assertEquals(s(3, 4), infer(new Dropout(0.5f), s(3, 4)));
    assertEquals(s(3, 4), infer(new Identity(), s(3, 4)));
    assertEquals(s(3, 4), infer(new Activation(Activation.Kind.SOFTMAX, 1), s(3, 4)));
  }

  @Test
  void errorsNameTheNodeAndShapes() {
    ShapeException e = assertThrows(ShapeException.class,
        () -> new Linear(5, 3, true).inferShape("fc2", List.of(s(4, 2))));
    assertEquals("fc2", e.nodeName());
    assertTrue(e.getMessage().contains("fc2") && e.getMessage().contains("[4, 2]"), e.getMessage());
    assertThrows(ShapeException.class, () -> infer(new Add(), s(1, 4), s(1, 5)));
    assertThrows(ShapeException.class, () -> infer(new Concat(1), s(1, 4, 2), s(1, 3, 3)));
    assertThrows(ShapeException.class, () -> infer(new Reshape(new int[] {7}), s(1, 3, 5)));
    assertThrows(ShapeException.class, () -> infer(Conv.simple(2, 3, 4, 5, 0), s(1, 3, 4, 4)));
  }

  @Test
  void builderInfersSizesAndGraphValidates() {
    Graph g = GraphBuilder.create(1)
        .input("x", 1, 28, 28)
        .conv2d("conv1", 4, 3, 1, 1).relu().maxPool2d(2)
        .flatten()
        .linear("fc", 10)
        .build();
    assertEquals(s(10, 784), g.node("fc").param("weight").shape());
    assertEquals(s(32, 10), g.inferShapes(32).get("fc"));
    assertEquals(4 * 9 + 4 + 7840 + 10, g.parameters().stream().mapToLong(Parameter::numel).sum());
    // a graph whose linear does not match its input is refused, naming the node
    Node bad = new Node("fc", new Linear(10, 2, true), List.of("x"),
        Initializers.initialize(new Linear(10, 2, true), new java.util.SplittableRandom(0)));
    ShapeException e = assertThrows(ShapeException.class,
        () -> new Graph(List.of(new InputSpec("x", s(3))), List.of(bad), List.of("fc")));
    assertEquals("fc", e.nodeName());
  }

  @Test
  void graphRejectsForwardReferencesAndDuplicates() {
    Linear l = new Linear(3, 3, false);
    var v = Initializers.initialize(l, new java.util.SplittableRandom(0));
    Node a = new Node("a", l, List.of("b"), v);
    Node b = new Node("b", l, List.of("x"), Initializers.initialize(l, new java.util.SplittableRandom(1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Graph(List.of(new InputSpec("x", s(3))), List.of(a, b), List.of("b")));
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Graph(List.of(new InputSpec("x", s(3))), List.of(b, b.copy()), List.of("b")));
  }

  @Test
  void copyIsDeep() {
    Graph g = GraphBuilder.create(3).input("x", 4).linear("fc", 2).build();
    Graph c = g.copy();
    c.parameter("fc.weight").value().data()[0] = 42f;
    assertTrue(g.parameter("fc.weight").value().data()[0] != 42f);
  }
}
