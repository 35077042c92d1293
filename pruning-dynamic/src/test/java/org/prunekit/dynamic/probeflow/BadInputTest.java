package org.prunekit.dynamic.probeflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.dynamic.Controllers;

/** Out-of-range settings and broken fields give clear errors. */
class BadInputTest {
  private static void assertMessage(Throwable t, String... parts) {
    for (String p : parts) {
      assertTrue(t.getMessage().contains(p), "'" + t.getMessage() + "' should mention '" + p + "'");
    }
  }

  @Test
  void settingsOutOfRange() {
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.builder().optEpsilon(0).build()), "epsilon", "0.0");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.builder().optEpsilon(-0.1).build()), "epsilon", "-0.1");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.builder().optEpsilon(Double.NaN).build()), "epsilon", "NaN");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.builder().optMaxSteps(1).build()), "maxSteps", "1");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.builder().optProbeStep(0).build()), "probeStep", "0.0");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.builder().optProbeStep(1).build()), "probeStep", "1.0");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> EulerSolver.of(0)), "steps", "0");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> HeunSolver.of(-2)), "-2");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> Rk45Solver.builder().optRtol(0).build()), "rtol");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.withDefaults().stepsFor(Double.NaN)), "NaN");
  }

  @Test
  void nanVelocityNamesTheStep() {
    VelocityField late = Fields.perSample(2, (b, x, t) -> t > 0.35f ? new float[] {1f, Float.NaN} : new float[] {1f, 0f});
    InvalidVelocityException e = assertThrows(InvalidVelocityException.class,
        () -> EulerSolver.of(10).solve(late, new float[][] {{0f, 0f}}, null));
    assertMessage(e, "euler-10 step 4", "NaN", "sample 0", "element 1", "t=0.4");
    // ProbeFlow: the probe at t = 0.5 already sees the NaN.
    e = assertThrows(InvalidVelocityException.class,
        () -> ProbeFlowSolver.withDefaults().solve(late, new float[][] {{0f, 0f}}, null));
    assertMessage(e, "probeflow step 0", "t=0.5", "evaluation 2");
    assertThrows(InvalidVelocityException.class,
        () -> Rk45Solver.withDefaults().solve(late, new float[][] {{0f, 0f}}, null));
  }

  @Test
  void wrongShapeIsReported() {
    VelocityField shortRows = Fields.perSample(3, (b, x, t) -> new float[] {1f, 2f});
    InvalidVelocityException e = assertThrows(InvalidVelocityException.class,
        () -> ProbeFlowSolver.withDefaults().solve(shortRows, new float[][] {{0f, 0f, 0f}}, null));
    assertMessage(e, "length 2", "expected 3");
    VelocityField wrongBatch = new VelocityField() {
      @Override
      public int dimension() {
        return 1;
      }

      @Override
      public float[][] velocity(float[][] x, float t, float[][] c) {
        return new float[1][1];
      }
    };
    e = assertThrows(InvalidVelocityException.class,
        () -> HeunSolver.of(2).solve(wrongBatch, new float[][] {{0f}, {1f}}, null));
    assertMessage(e, "batch 1", "expected [2][1]");
  }

  @Test
  void malformedInputs() {
    VelocityField f = Fields.constant(1f, 1f);
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.withDefaults().solve(f, new float[][] {{0f}}, null)), "x0[0]", "length 1", "2");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.withDefaults().solve(f, new float[][] {{0f, Float.NaN}}, null)), "x0[0][1]");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> ProbeFlowSolver.withDefaults().solve(f, new float[][] {{0f, 0f}}, new float[2][3])), "condition", "batch 2");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> EulerSolver.of(2).solve(f, new float[0][], null)), "empty");
  }

  @Test
  void providerIsRegistered() {
    assertEquals(ProbeFlowSolver.class, Controllers.byName("probeflow").controllerType());
  }
}
