package org.prunekit.dynamic.probeflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Euler, Heun and RK45 on fields with known solutions. */
class SolversTest {
  /** v(x, t) = 2t: the exact end point is x0 + 1. */
  private static final VelocityField RAMP = Fields.perSample(2, (b, x, t) -> new float[] {2 * t, -2 * t});

  @Test
  void eulerOnARampSumsLeftRiemannTerms() {
    SolveResult r = EulerSolver.of(4).solve(RAMP, new float[][] {{0f, 1f}}, null);
    // sum_k dt * 2 k dt = (N - 1) / N
    assertArrayEquals(new float[] {0.75f, 0.25f}, r.x()[0], 1e-6f);
    assertEquals(4, r.steps());
    assertEquals(4, r.networkEvaluations());
    assertTrue(Double.isNaN(r.sim()));
    assertEquals("euler-4", EulerSolver.of(4).name());
  }

  @Test
  void heunIsExactOnARampWithTwoEvaluationsPerStep() {
    SolveResult r = HeunSolver.of(3).solve(RAMP, new float[][] {{0f, 1f}}, null);
    assertArrayEquals(new float[] {1f, 0f}, r.x()[0], 1e-6f);
    assertEquals(3, r.steps());
    assertEquals(6, r.networkEvaluations());
    assertEquals(6 * 10L, r.cost().macs());
  }

  @Test
  void rk45SolvesALinearTimeVaryingOde() {
    // dx/dt = -2 t x  =>  x(1) = x0 e^{-1};  dy/dt = w x-rotation with w = 3 on the other two dims.
    VelocityField f =
        Fields.perSample(3, (b, x, t) -> new float[] {-2 * t * x[0], -3 * x[2], 3 * x[1]});
    float[][] x0 = {{2f, 1f, 0f}, {-1f, 0f, 0.5f}};
    SolveResult r = Rk45Solver.withDefaults().solve(f, x0, null);
    double e = Math.exp(-1);
    assertEquals(2 * e, r.x()[0][0], 2e-3);
    assertEquals(Math.cos(3), r.x()[0][1], 2e-3);
    assertEquals(Math.sin(3), r.x()[0][2], 2e-3);
    assertEquals(-e, r.x()[1][0], 2e-3);
    assertEquals(-0.5 * Math.sin(3), r.x()[1][1], 2e-3);
    assertTrue(r.steps() >= 2, "steps " + r.steps());
    // 1 evaluation at t=0, 1 for the initial step size, then 6 per attempted step (FSAL).
    assertEquals(0, (r.networkEvaluations() - 2) % 6, "nfe " + r.networkEvaluations());
    assertTrue(r.networkEvaluations() >= 2 + 6 * r.steps());

    SolveResult tight = Rk45Solver.builder().optRtol(1e-7).optAtol(1e-9).build().solve(f, x0, null);
    double errLoose = Math.abs(r.x()[0][1] - Math.cos(3));
    double errTight = Math.abs(tight.x()[0][1] - Math.cos(3));
    assertTrue(tight.networkEvaluations() > r.networkEvaluations());
    assertTrue(errTight < errLoose && errTight < 1e-5, errTight + " vs " + errLoose);
  }

  @Test
  void rk45WithAFixedFirstStepSkipsTheSelectionEvaluation() {
    SolveResult r = Rk45Solver.builder().optInitialStep(1.0).build()
        .solve(Fields.constant(0.5f), new float[][] {{0.25f}}, null);
    assertEquals(0.75f, r.x()[0][0], 1e-6f);
    assertEquals(1, r.steps());
    assertEquals(7, r.networkEvaluations());
  }
}
