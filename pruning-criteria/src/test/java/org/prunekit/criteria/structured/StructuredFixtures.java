package org.prunekit.criteria.structured;

import java.util.Map;
import java.util.SplittableRandom;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

/** Small graphs for the structured tests. */
final class StructuredFixtures {
  private StructuredFixtures() {}

  static final float[] W1 = {1f, -2f, 3f, 0.5f, 0f, -1f}; // fc1 [2, 3]
  static final float[] B1 = {0.1f, -0.2f};
  static final float[] W2 = {2f, -1f, 4f, 0.5f}; // fc2 [2, 2]

  /** x[3] -> fc1(2, bias) -> relu -> fc2(2, no bias): one prunable group, fc1's two neurons. */
  static Graph twoLinear() {
    GraphBuilder b = GraphBuilder.create(0).input("x", 3)
        .node("fc1", new Linear(3, 2, true), Map.of("weight", Tensor.of(W1.clone(), 2, 3), "bias",
            Tensor.of(B1.clone(), 2)), "x")
        .relu();
    return b.node("fc2", new Linear(2, 2, false), Map.of("weight", Tensor.of(W2.clone(), 2, 2)), b.cursor())
        .build();
  }

  /** image[3,8,8] -> c1(20) -> bn1 -> relu -> c2(16) -> relu -> gap -> fc(10). */
  static Graph convNet() {
    return randomized(GraphBuilder.create(1).input("image", 3, 8, 8)
        .conv2d("c1", 20, 3, 1, 1).batchNorm("bn1").relu()
        .conv2d("c2", 16, 3, 1, 1).relu()
        .globalAvgPool().linear("fc", 10)
        .build(), 7);
  }

  /** image[3,8,8] -> c1(20) -> bn1 -> relu -> c2(16) -> relu -> c3(12) -> relu -> gap -> fc(10). */
  static Graph threeConv() {
    return randomized(GraphBuilder.create(2).input("image", 3, 8, 8)
        .conv2d("c1", 20, 3, 1, 1).batchNorm("bn1").relu()
        .conv2d("c2", 16, 3, 1, 1).relu()
        .conv2d("c3", 12, 3, 1, 1).relu()
        .globalAvgPool().linear("fc", 10)
        .build(), 8);
  }

  /** Every parameter uniform in [-1, 1], running variances in [0.5, 1.5]. */
  static Graph randomized(Graph g, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (Parameter p : g.parameters()) {
      float[] d = p.value().data();
      for (int i = 0; i < d.length; i++) {
        d[i] = p.name().equals("running_var") ? (float) (0.5 + r.nextDouble()) : (float) (r.nextDouble() * 2 - 1);
      }
    }
    return g;
  }

  /** Multiplies every value of parameter {@code name} by {@code f}. */
  static void scale(Graph g, String name, float f) {
    float[] d = g.parameter(name).value().data();
    for (int i = 0; i < d.length; i++) {
      d[i] *= f;
    }
  }

  /** A deterministic input batch for the single graph input. */
  static Tensor input(Graph g, int batch) {
    org.prunekit.core.graph.Shape s = g.inputs().get(0).sampleShape().withBatch(batch);
    float[] d = new float[Math.toIntExact(s.size())];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return new Tensor(s, d);
  }

  /** Copies of every parameter value, to check a graph was not changed. */
  static Map<String, Tensor> snapshot(Graph g) {
    Map<String, Tensor> m = new java.util.LinkedHashMap<>();
    for (Parameter p : g.parameters()) {
      m.put(p.qualifiedName(), p.value().copy());
    }
    return m;
  }

  /** True if {@code g}'s parameters equal the snapshot bit for bit (same names, shapes, values). */
  static boolean unchanged(Graph g, Map<String, Tensor> snap) {
    if (g.parameters().size() != snap.size()) {
      return false;
    }
    for (Parameter p : g.parameters()) {
      Tensor t = snap.get(p.qualifiedName());
      if (t == null || !t.bitEquals(p.value())) {
        return false;
      }
    }
    return true;
  }
}
