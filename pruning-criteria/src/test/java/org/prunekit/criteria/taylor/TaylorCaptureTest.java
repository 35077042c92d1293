package org.prunekit.criteria.taylor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.core.exec.GradientCapture;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.tensor.Tensor;

/**
 * On the DJL engine: first-order Taylor and AGF against exact loss changes (spec B5 test c, 3.3
 * test 3), per-sample AGF independent of batching, and head scores from the output projection.
 */
class TaylorCaptureTest {
  private static final int BATCH = 4;

  /** x[3] -> fc1 (6) -> relu "act" -> fc2 (2), fc2 scaled small so first order dominates. */
  private static Graph mlp() {
    Graph g = GraphBuilder.create(7).input("x", 3).linear("fc1", 6).node("act", Activation.of(Activation.Kind.RELU),
        "fc1").linear("fc2", 2).build();
    float[] w2 = g.parameter("fc2.weight").value().data();
    for (int i = 0; i < w2.length; i++) {
      w2[i] *= 0.05f;
    }
    return g;
  }

  private static float[] random(SplittableRandom r, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return v;
  }

  /** DJL's L2Loss: mean over elements of 0.5 (y - t)^2, in double. */
  private static double loss(Graph g, Tensor x, float[] t) {
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      float[] y = ex.predict(x).data();
      double s = 0;
      for (int i = 0; i < y.length; i++) {
        s += 0.5 * ((double) y[i] - t[i]) * ((double) y[i] - t[i]);
      }
      return s / y.length;
    }
  }

  /** The loss with unit c of "act" removed (fc2's input column c zeroed). */
  private static double lossWithout(Graph g, int c, Tensor x, float[] t) {
    Graph h = g.copy();
    float[] w2 = h.parameter("fc2.weight").value().data();
    for (int o = 0; o < 2; o++) {
      w2[o * 6 + c] = 0;
    }
    return loss(h, x, t);
  }

  private static TaylorCapture capture(Graph g, NDManager m, float[] x, float[] t, int perBatch) {
    TaylorCapture c = TaylorCapture.of(g, Loss.l2Loss(), Map.of("act", UnitLayout.neurons()));
    for (int b = 0; b < BATCH; b += perBatch) {
      float[] xb = java.util.Arrays.copyOfRange(x, b * 3, (b + perBatch) * 3);
      float[] tb = java.util.Arrays.copyOfRange(t, b * 2, (b + perBatch) * 2);
      c.add(new NDList(m.create(xb, new ai.djl.ndarray.types.Shape(perBatch, 3))),
          new NDList(m.create(tb, new ai.djl.ndarray.types.Shape(perBatch, 2))));
    }
    return c;
  }

  @Test
  void taylorAndAgfMatchExactLossChanges() {
    Graph g = mlp();
    SplittableRandom r = new SplittableRandom(4);
    float[] x = random(r, BATCH * 3, 2);
    float[] t = random(r, BATCH * 2, 3);
    Tensor xt = Tensor.of(x, BATCH, 3);
    double base = loss(g, xt, t);
    try (NDManager m = DjlEnvironment.newManager();
        TaylorCapture whole = capture(g, m, x, t, BATCH);
        TaylorCapture single = capture(g, m, x, t, 1)) {
      double[] taylor = whole.taylorScores().get("act");
      int checked = 0;
      for (int c = 0; c < 6; c++) {
        double delta = lossWithout(g, c, xt, t) - base; // exact; first order: -dL/dm_c
        assertEquals(Math.abs(delta), Math.sqrt(taylor[c]), 0.1 * Math.abs(delta) + 1e-6, "unit " + c);
        if (Math.abs(delta) > 1e-4) {
          checked++;
        }
      }
      assertTrue(checked >= 3, "too few live units to check: " + checked);

      // AGF: per-sample |<A, G>| against the exact per-sample loss change, then averaged
      double[] agf = whole.agfUtilities().get("act");
      double[] agfSingle = single.agfUtilities().get("act");
      for (int c = 0; c < 6; c++) {
        double exact = 0;
        for (int n = 0; n < BATCH; n++) {
          Tensor xn = Tensor.of(java.util.Arrays.copyOfRange(x, n * 3, n * 3 + 3), 1, 3);
          float[] tn = java.util.Arrays.copyOfRange(t, n * 2, n * 2 + 2);
          exact += Math.abs(lossWithout(g, c, xn, tn) - loss(g, xn, tn));
        }
        exact /= BATCH;
        assertEquals(exact, agf[c], 0.1 * exact + 1e-6, "unit " + c);
        assertEquals(agfSingle[c], agf[c], 1e-5 * agf[c] + 1e-9, "batching must not change AGF, unit " + c);
      }
      assertEquals(BATCH, whole.agf("act").samples());
      assertEquals(1, whole.taylor("act").batches());
      assertEquals(BATCH, single.taylor("act").batches());
    }
  }

  @Test
  void headScoresFromTheOutputProjectionMatchFiniteDifferences() {
    Graph g = GraphBuilder.create(3).input("x", 3, 8).attention("attn", 2, 2, false, 0f).build();
    SplittableRandom r = new SplittableRandom(9);
    float[] x = random(r, 3 * 8, 1);
    float[] t = random(r, 3 * 8, 1);
    double[] heads;
    try (NDManager m = DjlEnvironment.newManager(); GradientCapture cap = GradientCapture.of(g, Loss.l2Loss())) {
      GradientCapture.Gradients grads = cap.compute(new NDList(m.create(x, new ai.djl.ndarray.types.Shape(1, 3, 8))),
          new NDList(m.create(t, new ai.djl.ndarray.types.Shape(1, 3, 8))), List.of());
      heads = FeatureTaylor.headInnerProductsFromOutputProjection("attn", g.parameter("attn.o_weight").value(),
          grads.parameters().get("attn.o_weight"), 2, 4);
    }
    Tensor xt = Tensor.of(x, 1, 3, 8);
    double base = loss(g, xt, t);
    double eps = 1e-2;
    for (int h = 0; h < 2; h++) {
      Graph scaled = g.copy();
      float[] o = scaled.parameter("attn.o_weight").value().data(); // [8, 8]: head h = columns 4h .. 4h+3
      for (int row = 0; row < 8; row++) {
        for (int j = 4 * h; j < 4 * h + 4; j++) {
          o[row * 8 + j] *= (float) (1 - eps);
        }
      }
      double derivative = (base - loss(scaled, xt, t)) / eps; // d/d(gate) at gate 1 = <z_h, dL/dz_h>
      assertTrue(Math.abs(heads[h]) > 1e-6, "head " + h + " has no signal: " + heads[h] + " vs " + derivative);
      assertEquals(derivative, heads[h], 0.03 * Math.abs(heads[h]) + 1e-9, "head " + h);
    }
  }

  @Test
  void unknownNodeAndEmptyCaptureAreRejected() {
    Graph g = mlp();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaylorCapture.of(g, Loss.l2Loss(), Map.of("nope", UnitLayout.neurons())));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    try (TaylorCapture c = TaylorCapture.of(g, Loss.l2Loss(), Map.of("act", UnitLayout.neurons()))) {
      assertTrue(assertThrows(IllegalArgumentException.class, c::taylorScores).getMessage()
          .contains("empty calibration"));
    }
  }
}
