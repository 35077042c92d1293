package org.prunekit.dynamic.probeflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The spec's tests 1-4 (algorithms.md §3.2). */
class ProbeFlowSolverTest {
  private static final ProbeFlowSolver PF = ProbeFlowSolver.withDefaults();

  @Test
  void constantFieldIsExactInTwoEvaluations() {
    float[] c = {0.5f, -0.25f, 1.0f};
    float[][] x0 = {{0.25f, 0.5f, -0.75f}, {-1f, 0.125f, 0f}};
    SolveResult r = PF.solve(Fields.constant(c), x0, null);
    assertEquals(1.0, r.sim(), 1e-12);
    assertEquals(1.0, r.mag(), 1e-12);
    assertEquals(2, r.steps());
    assertEquals(2, r.networkEvaluations());
    assertArrayEquals(new float[] {0.75f, 0.25f, 0.25f}, r.x()[0]);
    assertArrayEquals(new float[] {-0.5f, -0.125f, 1.0f}, r.x()[1]);
    assertEquals(2, r.cost().networkEvaluations());
    assertEquals(2 * 10L * 2, r.cost().macs());
    assertEquals(2.0, r.cost().counters().get("steps"));
    assertEquals(1.0, r.cost().counters().get("sim"));
    // x0 is not modified
    assertArrayEquals(new float[] {0.25f, 0.5f, -0.75f}, x0[0]);
  }

  @Test
  void stepTable() {
    assertEquals(2, PF.stepsFor(0.995));
    assertEquals(4, PF.stepsFor(0.99));
    assertEquals(6, PF.stepsFor(0.984));
    assertEquals(8, PF.stepsFor(0.97));
    assertEquals(20, PF.stepsFor(0.9));
    assertEquals(20, PF.stepsFor(0.5));
    assertEquals(2, PF.stepsFor(1.0000001)); // rounding above 1 stays at the minimum
    assertEquals(20, PF.stepsFor(-1.0));
    ProbeFlowSolver eight = ProbeFlowSolver.builder().optMaxSteps(8).build();
    assertEquals(8, eight.stepsFor(0.9));
  }

  @Test
  void rotationFieldMatchesExpmAndImprovesAsEpsilonShrinks() {
    double w = 0.5;
    float[][] x0 = {{1.0f, 0.0f}};
    // Probe on a rotation: cos(v0, v_mid) = 1 / sqrt(1 + (w Δp)^2).
    double expectedSim = 1.0 / Math.sqrt(1 + 0.25 * w * w);
    double[] exact = {Math.cos(w), Math.sin(w)}; // expm(A) x0
    int[] expectedSteps = {8, 16, 30, 60};
    double[] eps = {0.008, 0.004, 0.002, 0.001};
    double lastErr = Double.POSITIVE_INFINITY;
    for (int i = 0; i < eps.length; i++) {
      ProbeFlowSolver pf = ProbeFlowSolver.builder().optEpsilon(eps[i]).optMaxSteps(100).build();
      SolveResult r = pf.solve(Fields.rotation(w), x0, null);
      assertEquals(expectedSim, r.sim(), 1e-6);
      int n = expectedSteps[i];
      assertEquals(n, r.steps(), "eps " + eps[i]);
      assertEquals(n + 1, r.networkEvaluations(), "NFE = N + 1 when N > 2");
      // The result is exactly N Euler steps (I + A/N)^N x0 from x0.
      double a = 1;
      double b = 0;
      for (int k = 0; k < n; k++) {
        double na = a - w / n * b;
        double nb = b + w / n * a;
        a = na;
        b = nb;
      }
      assertEquals(a, r.x()[0][0], 1e-5);
      assertEquals(b, r.x()[0][1], 1e-5);
      double err = Math.hypot(r.x()[0][0] - exact[0], r.x()[0][1] - exact[1]);
      assertTrue(err < lastErr, "error must shrink with epsilon: " + err + " after " + lastErr);
      lastErr = err;
    }
    assertTrue(lastErr < 3e-3, "error with eps=0.001: " + lastErr);
  }

  @Test
  void oneCurvedSampleForcesTheWholeBatch() {
    float[] c = {0.5f, -0.25f};
    VelocityField mixed = Fields.perSample(2, (s, x, t) -> s == 0 ? c.clone() : Fields.rotate(0.5, x));
    float[][] straightOnly = {{0.25f, 0.5f}};
    SolveResult alone = PF.solve(mixed, straightOnly, null);
    assertEquals(2, alone.steps());
    assertEquals(2, alone.networkEvaluations());

    float[][] batch = {{0.25f, 0.5f}, {1f, 0f}};
    SolveResult both = PF.solve(mixed, batch, null);
    assertEquals(8, both.steps());
    assertEquals(9, both.networkEvaluations());
    assertEquals(1.0 / Math.sqrt(1.0625), both.sim(), 1e-6);
    // The straight sample still lands on x0 + c (Euler is exact for a constant field).
    assertArrayEquals(new float[] {0.75f, 0.25f}, both.x()[0], 1e-6f);
  }

  @Test
  void probeStepChangesTheProbePoint() {
    ProbeFlowSolver pf = ProbeFlowSolver.builder().optProbeStep(0.25).build();
    float[][] x0 = {{0.25f, 0.5f}};
    SolveResult r = pf.solve(Fields.constant(0.5f, -0.25f), x0, null);
    assertEquals(2, r.steps());
    assertArrayEquals(new float[] {0.75f, 0.25f}, r.x()[0]);
  }
}
