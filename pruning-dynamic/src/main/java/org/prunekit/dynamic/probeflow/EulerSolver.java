package org.prunekit.dynamic.probeflow;

/**
 * Fixed-step explicit Euler: {@code x += dt * v(x, k dt)} for {@code k = 0..N-1}, {@code dt =
 * 1/N}; N network evaluations. {@code EulerSolver.of(50)} is the reference "50-step" decoder.
 */
public final class EulerSolver implements OdeSolver {
  private final int steps;

  private EulerSolver(int steps) {
    this.steps = FieldCalls.checkSteps("Euler", steps);
  }

  /**
   * An Euler solver with {@code steps} equal steps.
   *
   * @throws IllegalArgumentException if {@code steps < 1}
   */
  public static EulerSolver of(int steps) {
    return new EulerSolver(steps);
  }

  /** The step count. */
  public int steps() {
    return steps;
  }

  @Override
  public String name() {
    return "euler-" + steps;
  }

  @Override
  public SolveResult solve(VelocityField field, float[][] x0, float[][] condition) {
    FieldCalls calls = FieldCalls.start(name(), field, x0, condition);
    float dt = 1.0f / steps;
    float[][] x = x0;
    for (int k = 0; k < steps; k++) {
      x = FieldCalls.axpy(x, dt, calls.eval(x, k * (double) dt, k));
    }
    return SolveResult.of(field, x, steps, calls.nfe(), Double.NaN, Double.NaN);
  }

  /** Integrates with {@code steps} Euler steps starting from the first step's already-known velocity. */
  static float[][] continueFrom(FieldCalls calls, float[][] x0, float[][] v0, int steps) {
    float dt = 1.0f / steps;
    float[][] x = FieldCalls.axpy(x0, dt, v0);
    for (int k = 1; k < steps; k++) {
      x = FieldCalls.axpy(x, dt, calls.eval(x, k * (double) dt, k));
    }
    return x;
  }
}
