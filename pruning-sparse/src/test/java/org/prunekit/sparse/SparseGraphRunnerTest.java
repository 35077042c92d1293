package org.prunekit.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

class SparseGraphRunnerTest {
  /** Random masks at {@code sparsity} on every Linear/Conv weight. */
  private static void mask(Graph g, double sparsity, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (Node n : g.nodes()) {
      if (n.op() instanceof Linear || n.op() instanceof Conv) {
        Parameter w = n.param("weight");
        float[] m = new float[w.value().size()];
        for (int i = 0; i < m.length; i++) {
          m[i] = rng.nextDouble() < sparsity ? 0f : 1f;
        }
        w.setMask(new Tensor(w.shape(), m));
      }
    }
  }

  private static Tensor input(SplittableRandom rng, int... dims) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    return Tensor.of(SparseFixtures.uniform(rng, n, 1.0), dims);
  }

  @Test
  void maskedMlpMatchesGraphExecutor() {
    Graph g = GraphBuilder.create(42).input("x", 70)
        .linear("fc1", 130).relu()
        .linear("fc2", 65).activation(Activation.Kind.GELU)
        .linear("fc3", 33).activation(Activation.Kind.TANH)
        .linear("fc4", 10).softmax()
        .build();
    mask(g, 0.8, 1);
    SplittableRandom rng = new SplittableRandom(2);
    try (GraphExecutor dense = GraphExecutor.create(g);
        SparseGraphRunner sparse = SparseGraphRunner.builder().setGraph(g).optThreads(2).build()) {
      assertTrue(sparse.layer("fc1").weights().nonZeros() < 0.25 * 70 * 130);
      for (int batch : new int[] {1, 8, 64}) {
        Tensor x = input(rng, batch, 70);
        Tensor expected = dense.predict(x);
        Tensor got = sparse.predict(x);
        assertEquals(expected.shape(), got.shape());
        assertArrayEquals(expected.data(), got.data(), 1e-4f, "batch " + batch);
      }
    }
  }

  @Test
  void scalarKernelsAlsoMatch() {
    Graph g = GraphBuilder.create(4).input("x", 33).linear("a", 20).activation(Activation.Kind.SILU)
        .linear("b", 7).activation(Activation.Kind.SIGMOID).build();
    mask(g, 0.5, 3);
    Tensor x = input(new SplittableRandom(5), 5, 33);
    try (GraphExecutor dense = GraphExecutor.create(g);
        SparseGraphRunner sparse = SparseGraphRunner.builder().setGraph(g).optThreads(1)
            .optKernel(KernelMode.SCALAR).build()) {
      assertEquals(KernelMode.SCALAR, sparse.layer("a").kernel());
      assertArrayEquals(dense.predict(x).data(), sparse.predict(x).data(), 1e-4f);
    }
  }

  @Test
  void oneByOneConvNetMatchesGraphExecutor() {
    Graph g = GraphBuilder.create(7).input("img", 6, 5, 7)
        .conv2d("pw1", 16, 1, 1, 0).relu()
        .conv2d("pw2", 12, 1, 1, 0).relu()
        .globalAvgPool().flatten()
        .linear("head", 4)
        .build();
    mask(g, 0.7, 8);
    Tensor x = input(new SplittableRandom(9), 3, 6, 5, 7);
    try (GraphExecutor dense = GraphExecutor.create(g); SparseGraphRunner sparse = SparseGraphRunner.create(g)) {
      Tensor expected = dense.predict(x);
      Tensor got = sparse.predict(x);
      assertEquals(expected.shape(), got.shape());
      assertArrayEquals(expected.data(), got.data(), 1e-4f);
    }
  }

  @Test
  void rejectsUnsupportedNodesByName() {
    Graph g = GraphBuilder.create(1).input("img", 3, 8, 8).conv2d("c3", 4, 3, 1, 1).flatten().linear("fc", 2).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparseGraphRunner.create(g));
    assertTrue(e.getMessage().startsWith("node 'c3'"), e.getMessage());
    Graph ln = GraphBuilder.create(1).input("x", 8).layerNorm("ln").build();
    e = assertThrows(IllegalArgumentException.class, () -> SparseGraphRunner.create(ln));
    assertTrue(e.getMessage().contains("'ln'") && e.getMessage().contains("GraphExecutor"), e.getMessage());
  }

  @Test
  void rejectsWrongInputShape() {
    Graph g = GraphBuilder.create(1).input("x", 8).linear("fc", 2).build();
    try (SparseGraphRunner r = SparseGraphRunner.create(g)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> r.predict(Tensor.of(new float[18], 2, 9)));
      assertTrue(e.getMessage().contains("input 'x'"), e.getMessage());
    }
  }
}
