package org.prunekit.criteria.atv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Targets;

/** ATV calibration of a residual MLP "layer" run on the PyTorch engine, checked against plain Java. */
class AtvLayerCalibrationTest {
  private static final int T = 6;
  private static final int H = 4;
  private static final int F = 8;

  private static Graph layer(float[] w1, float[] w2) {
    GraphBuilder b = GraphBuilder.create(0).input("h", T, H)
        .node("fc1", new Linear(H, F, false), Map.of("weight", Tensor.of(w1.clone(), F, H)), "h").relu();
    return b.node("fc2", new Linear(F, H, false), Map.of("weight", Tensor.of(w2.clone(), H, F)), b.cursor())
        .add("res", "fc2", "h").build();
  }

  @Test
  void engineCalibrationMatchesHandComputation() {
    SplittableRandom r = new SplittableRandom(11);
    float[] w1 = AtvTest.random(r, F, H).data();
    float[] w2 = AtvTest.random(r, H, F).data();
    Graph g = layer(w1, w2);
    List<Tensor> samples = new ArrayList<>();
    List<boolean[]> tags = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      samples.add(new Tensor(new org.prunekit.core.graph.Shape(1, T, H), AtvTest.random(r, T, H).data()));
      boolean[] v = new boolean[T];
      for (int t = 1; t < 5; t++) {
        v[t] = true; // tokens 1..4 visual, 0 and 5 text
      }
      tags.add(v);
    }
    AtvLayerCalibration cal = new AtvLayerCalibration("fc1", "res", List.of("fc1", "fc2"));
    PooledInputNorms norms;
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      norms = cal.calibrate(ex, samples, tags, 1.0);
    }

    // the same in plain Java: out = h + W2 relu(W1 h), d = 1 - cos(h, out)
    VisualTokenSelector ref = new VisualTokenSelector("ref");
    List<float[]> hidden = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      float[] h = samples.get(j).data();
      float[] a = new float[T * F];
      float[] out = new float[T * H];
      for (int t = 0; t < T; t++) {
        for (int f = 0; f < F; f++) {
          double s = 0;
          for (int i = 0; i < H; i++) {
            s += (double) w1[f * H + i] * h[t * H + i];
          }
          a[t * F + f] = (float) Math.max(0, s);
        }
        for (int o = 0; o < H; o++) {
          double s = 0;
          for (int f = 0; f < F; f++) {
            s += (double) w2[o * F + f] * a[t * F + f];
          }
          out[t * H + o] = (float) (h[t * H + o] + s);
        }
      }
      hidden.add(a);
      ref.addSample(tags.get(j), Tensor.of(h, T, H), Tensor.of(out, T, H));
    }
    TokenSelection want = ref.select(1.0);
    assertEquals(want.meanDistance(), norms.selection().meanDistance(), 1e-5);
    for (int j = 0; j < 3; j++) {
      assertArrayEquals(want.pool(j), norms.selection().pool(j), "pool of sample " + j);
    }
    double[] n1 = new double[H];
    double[] n2 = new double[F];
    for (int j = 0; j < 3; j++) {
      for (int t : want.pool(j)) {
        for (int i = 0; i < H; i++) {
          double x = samples.get(j).data()[t * H + i];
          n1[i] += x * x / 3;
        }
        for (int f = 0; f < F; f++) {
          double x = hidden.get(j)[t * F + f];
          n2[f] += x * x / 3;
        }
      }
    }
    assertArrayEquals(n1, norms.squaredNorms("fc1.weight"), 1e-5);
    assertArrayEquals(n2, norms.squaredNorms("fc2.weight"), 1e-5);

    PruningSpec spec = PruningSpec.builder().setCriterion("atv").setSparsity(0.5)
        .optTargets(Targets.only("fc1", "fc2")).build();
    Pruning.prune(g, spec, norms.scoringInputs());
    // per row floor(0.5 * in) zeros
    assertEquals(F * (H / 2), g.parameter("fc1.weight").mask().countZeros());
    assertEquals(H * (F / 2), g.parameter("fc2.weight").mask().countZeros());
  }

  @Test
  void rejectsUnknownNodesAndMismatchedTags() {
    Graph g = layer(new float[F * H], new float[H * F]);
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      List<Tensor> one = List.of(Tensor.zeros(new org.prunekit.core.graph.Shape(1, T, H)));
      assertThrows(IllegalArgumentException.class,
          () -> new AtvLayerCalibration("nope", "res", List.of("fc1")).calibrate(ex, one, List.of(new boolean[T]), 1));
      assertThrows(IllegalArgumentException.class,
          () -> new AtvLayerCalibration("fc1", "res", List.of("res")).calibrate(ex, one, List.of(new boolean[T]), 1));
      assertThrows(IllegalArgumentException.class,
          () -> new AtvLayerCalibration("fc1", "res", List.of("fc1")).calibrate(ex, one, List.of(), 1));
    }
  }
}
