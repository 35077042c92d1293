package org.prunekit.criteria.flashu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.ActivationStatistics;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

class FlashUFfnTest {
  private static final float[] UP = {1, -1, 2, 0, 0, 3}; // [3, 2]
  private static final float[] UP_B = {0.1f, 0.2f, 0.3f};
  private static final float[] DOWN = {1, -2, 3, 0.5f, 0, -1}; // [2, 3]

  @Test
  void keepCountRoundsDownToMultiplesOf64() {
    assertEquals(7168, FlashUFfnScores.keepCount(8960, 0.2)); // spec: floor((8960 - 1792) / 64) * 64
    assertEquals(128, FlashUFfnScores.keepCount(200, 0.2)); // 160 -> 128
    assertEquals(128, FlashUFfnScores.keepCount(128, 0.0)); // nothing pruned
    assertEquals(64, FlashUFfnScores.keepCount(100, 0.5)); // 50 -> 0 -> at least 64
    assertEquals(20, FlashUFfnScores.keepCount(40, 0.5)); // 64 > 40: keep the ideal 20
    assertEquals(2, FlashUFfnScores.keepCount(3, 0.5)); // 3 - floor(1.5)
    assertEquals(1, FlashUFfnScores.keepCount(1, 0.9)); // 1 - 0 = 1
    assertEquals(48, FlashUFfnScores.keepCount(64, 0.2, 16)); // 64 - 12 = 52 -> 48
    assertThrows(IllegalArgumentException.class, () -> FlashUFfnScores.keepCount(64, 1.0));
    assertThrows(IllegalArgumentException.class, () -> FlashUFfnScores.keepCount(0, 0.2));
  }

  @Test
  void scoresByHand() {
    Tensor down = Tensor.of(DOWN.clone(), 2, 3);
    // column |W| sums [1.5, 2, 4] times norms [2, 1, 0.5]
    assertArrayEquals(new double[] {3, 2, 2},
        FlashUFfnScores.inputNeuronScores("down.weight", down, new double[] {4, 1, 0.25}), 1e-12);
    // rows of up [[1,-1],[2,0],[0,3]] against norms [1, 2]: [1 + 2, 2, 6]
    assertArrayEquals(new double[] {3, 2, 6},
        FlashUFfnScores.outputNeuronScores("up.weight", Tensor.of(UP.clone(), 3, 2), new double[] {1, 4}), 1e-12);
    // ties: neurons 1 and 2 both score 2; keeping 2 drops the lower index, 1
    assertArrayEquals(new int[] {0, 2}, FlashUFfnScores.keepIndices(new double[] {3, 2, 2}, 2));
    assertArrayEquals(new int[] {0, 2}, FlashUFfnScores.keepIndices(new double[] {3, 1, 2}, 2));
    assertThrows(IllegalArgumentException.class,
        () -> FlashUFfnScores.inputNeuronScores("down.weight", down, new double[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> FlashUFfnScores.keepIndices(new double[] {1, 2}, 3));
  }

  private static Graph reluMlp() {
    GraphBuilder b = GraphBuilder.create(0).input("x", 2)
        .node("up", new Linear(2, 3, true), Map.of("weight", Tensor.of(UP.clone(), 3, 2), "bias",
            Tensor.of(UP_B.clone(), 3)), "x").relu();
    return b.node("down", new Linear(3, 2, false), Map.of("weight", Tensor.of(DOWN.clone(), 2, 3)), b.cursor())
        .build();
  }

  @Test
  void handMlpLosesTheLowestNeuron() {
    Graph g = reluMlp();
    FlashUFfnPruning.Result r = FlashUFfnPruning.prune(g, List.of("down"),
        Map.of("down.weight", new double[] {4, 1, 0.25}), 0.5);
    assertArrayEquals(new int[] {0, 2}, r.kept().get("down"));
    Graph s = r.graph();
    assertArrayEquals(new float[] {1, -1, 0, 3}, s.parameter("up.weight").value().data());
    assertArrayEquals(new float[] {0.1f, 0.3f}, s.parameter("up.bias").value().data());
    assertArrayEquals(new float[] {1, 3, 0.5f, -1}, s.parameter("down.weight").value().data());
    assertEquals(new Shape(3, 2), g.parameter("up.weight").shape(), "original unchanged");

    // a plan from explicit keep sets
    assertEquals(1, FlashUFfnPruning.plan(g, DependencyGraph.build(g), Map.of("down", new int[] {0, 1})).unitsRemoved());
    assertThrows(IllegalArgumentException.class,
        () -> FlashUFfnPruning.plan(g, DependencyGraph.build(g), Map.of("down", new int[] {})));
    assertThrows(IllegalArgumentException.class,
        () -> FlashUFfnPruning.plan(g, DependencyGraph.build(g), Map.of("down", new int[] {3})));
    assertThrows(IllegalArgumentException.class,
        () -> FlashUFfnPruning.prune(g, List.of("down"), Map.of(), 0.5));
    assertThrows(IllegalArgumentException.class,
        () -> FlashUFfnPruning.prune(g, List.of("x"), Map.of("down.weight", new double[3]), 0.5));
  }

  private static final int D = 8;
  private static final int I = 200;

  private static Graph swiGlu(float[] gate, float[] up, float[] down) {
    GraphBuilder b = GraphBuilder.create(0).input("x", D)
        .node("gate", new Linear(D, I, false), Map.of("weight", Tensor.of(gate.clone(), I, D)), "x")
        .activation(Activation.Kind.SILU);
    String act = b.cursor();
    b.node("up", new Linear(D, I, false), Map.of("weight", Tensor.of(up.clone(), I, D)), "x")
        .mul("h", act, "up");
    return b.node("down", new Linear(I, D, false), Map.of("weight", Tensor.of(down.clone(), D, I)), "h").build();
  }

  @Test
  void swiGluPrunedFfnEqualsFullFfnWithDroppedNeuronsZeroed() {
    SplittableRandom r = new SplittableRandom(3);
    float[] gate = random(r, I * D);
    float[] up = random(r, I * D);
    float[] down = random(r, D * I);
    Graph g = swiGlu(gate, up, down);
    Tensor calib = new Tensor(new Shape(32, D), random(r, 32 * D));
    ActivationStatistics stats = new ActivationStatistics(n -> n.name().equals("down"));
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = ex.manager().newSubManager()) {
      ex.forward(new NDList(TensorConversions.toDjl(m, calib)), List.of(stats)).close();
    }
    FlashUFfnPruning.Result res = FlashUFfnPruning.prune(g, List.of("down"),
        Map.of("down.weight", stats.sumSquares("down")), 0.2);
    int[] kept = res.kept().get("down");
    assertEquals(128, kept.length, "200 - 40 = 160 -> 128");
    assertEquals(new Shape(128, D), res.graph().parameter("gate.weight").shape());
    assertEquals(new Shape(128, D), res.graph().parameter("up.weight").shape());
    assertEquals(new Shape(D, 128), res.graph().parameter("down.weight").shape());
    // kept neurons are exactly the top 128 by score
    double[] s = res.scores().get("down");
    double minKept = Double.MAX_VALUE;
    double maxDropped = -1;
    boolean[] isKept = new boolean[I];
    for (int j : kept) {
      isKept[j] = true;
      minKept = Math.min(minKept, s[j]);
    }
    for (int j = 0; j < I; j++) {
      if (!isKept[j]) {
        maxDropped = Math.max(maxDropped, s[j]);
      }
    }
    assertEquals(true, minKept >= maxDropped, minKept + " vs " + maxDropped);

    // reference: full FFN with the dropped neurons' down columns zeroed
    float[] zeroed = down.clone();
    for (int o = 0; o < D; o++) {
      for (int j = 0; j < I; j++) {
        if (!isKept[j]) {
          zeroed[o * I + j] = 0;
        }
      }
    }
    Tensor x = new Tensor(new Shape(5, D), random(r, 5 * D));
    float[] want;
    float[] got;
    try (GraphExecutor full = GraphExecutor.create(swiGlu(gate, up, zeroed));
        GraphExecutor small = GraphExecutor.create(res.graph())) {
      want = full.predict(x).data();
      got = small.predict(x).data();
    }
    assertArrayEquals(want, got, 1e-4f);
  }

  private static float[] random(SplittableRandom r, int n) {
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return d;
  }
}
