package org.prunekit.analysis.simcert;

import java.util.SplittableRandom;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;

/** Small test networks, magnitude pruning and DJL forward passes of the difference. */
final class Nets {
  private Nets() {}

  /** An MLP {@code sizes[0] -> ... -> sizes[last]} with ReLUs between linear layers. */
  static Graph mlp(long seed, int... sizes) {
    GraphBuilder b = GraphBuilder.create(seed).input("x", sizes[0]);
    for (int i = 1; i < sizes.length; i++) {
      b.linear("fc" + i, sizes[i]);
      if (i < sizes.length - 1) {
        b.relu();
      }
    }
    Graph g = b.build();
    perturbBiases(g, seed);
    return g;
  }

  /**
   * conv3x3(pad 1) -> BN -> ReLU -> maxpool 2 -> conv 3x3 SAME stride 1 -> ReLU -> avgpool 2 ->
   * flatten -> linear(3) on a {@code [1, 8, 8]} input.
   */
  static Graph cnn(long seed) {
    Graph g = GraphBuilder.create(seed).input("x", 1, 8, 8)
        .conv2d("c1", 4, 3, 1, 1)
        .node("bn1", BatchNorm.of(4), "c1")
        .relu()
        .maxPool2d(2)
        .node("c2", new Conv(2, 4, 3, new int[] {3, 3}, new int[] {1, 1}, Padding.same(2), new int[] {1, 1}, 1, true),
            "maxpool_2")
        .relu()
        .node("ap", new Pool(Pool.Kind.AVG, 2, new int[] {2, 2}, new int[] {2, 2}, Padding.valid(2), true), "relu_3")
        .flatten()
        .linear("fc", 3)
        .build();
    SplittableRandom r = new SplittableRandom(seed + 7);
    float[] gamma = g.parameter("bn1.gamma").value().data();
    float[] beta = g.parameter("bn1.beta").value().data();
    float[] mean = g.parameter("bn1.running_mean").value().data();
    float[] var = g.parameter("bn1.running_var").value().data();
    for (int c = 0; c < 4; c++) {
      gamma[c] = (float) (0.5 + r.nextDouble());
      beta[c] = (float) (r.nextDouble() - 0.5);
      mean[c] = (float) (0.2 * (r.nextDouble() - 0.5));
      var[c] = (float) (0.5 + r.nextDouble());
    }
    perturbBiases(g, seed);
    return g;
  }

  private static void perturbBiases(Graph g, long seed) {
    SplittableRandom r = new SplittableRandom(seed + 3);
    for (Parameter p : g.parameters()) {
      if (p.name().equals("bias")) {
        float[] v = p.value().data();
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (0.2 * (r.nextDouble() - 0.5));
        }
      }
    }
  }

  /** A copy of {@code g} with {@code sparsity} of every conv/linear weight masked by magnitude (per layer). */
  static Graph pruned(Graph g, double sparsity) {
    Graph c = g.copy();
    Pruning.prune(c, PruningSpec.of("magnitude", sparsity));
    return c;
  }

  /** {@code f(x) - g(x)} for each row of {@code xs} ({@code [n, inputSize]}), run on DJL. */
  static float[][] delta(Graph f, Graph g, float[][] xs) {
    int n = xs.length;
    int d = xs[0].length;
    float[] flat = new float[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(xs[i], 0, flat, i * d, d);
    }
    int[] dims = f.inputs().get(0).sampleShape().withBatch(n).dims();
    Tensor in = Tensor.of(flat, dims);
    float[] a;
    float[] b;
    try (GraphExecutor ef = GraphExecutor.create(f); GraphExecutor eg = GraphExecutor.create(g)) {
      a = ef.predict(in).data();
      b = eg.predict(in).data();
    }
    int m = a.length / n;
    float[][] r = new float[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        r[i][j] = a[i * m + j] - b[i * m + j];
      }
    }
    return r;
  }

  /** {@code n} points uniform in {@code box}. */
  static float[][] sample(InputBox box, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] xs = new float[n][box.dims()];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < box.dims(); k++) {
        xs[i][k] = (float) (box.lo(k) + r.nextDouble() * box.width(k));
      }
    }
    return xs;
  }

}
