package org.prunekit.dynamic.probeflow;

/**
 * Fixed-step Heun (explicit trapezoid): per step {@code v1 = v(x, t)}, {@code v2 = v(x + dt v1, t +
 * dt)}, {@code x += dt (v1 + v2) / 2}; 2 network evaluations per step.
 */
public final class HeunSolver implements OdeSolver {
  private final int steps;

  private HeunSolver(int steps) {
    this.steps = FieldCalls.checkSteps("Heun", steps);
  }

  /**
   * A Heun solver with {@code steps} equal steps ({@code 2 * steps} evaluations).
   *
   * @throws IllegalArgumentException if {@code steps < 1}
   */
  public static HeunSolver of(int steps) {
    return new HeunSolver(steps);
  }

  /** The step count. */
  public int steps() {
    return steps;
  }

  @Override
  public String name() {
    return "heun-" + steps;
  }

  @Override
  public SolveResult solve(VelocityField field, float[][] x0, float[][] condition) {
    FieldCalls calls = FieldCalls.start(name(), field, x0, condition);
    float dt = 1.0f / steps;
    float[][] x = x0;
    for (int k = 0; k < steps; k++) {
      double t = k * (double) dt;
      float[][] v1 = calls.eval(x, t, k);
      float[][] xp = FieldCalls.axpy(x, dt, v1);
      float[][] v2 = calls.eval(xp, t + dt, k);
      float[][] next = new float[x.length][];
      for (int b = 0; b < x.length; b++) {
        float[] o = new float[x[b].length];
        for (int i = 0; i < o.length; i++) {
          o[i] = x[b][i] + 0.5f * dt * (v1[b][i] + v2[b][i]);
        }
        next[b] = o;
      }
      x = next;
    }
    return SolveResult.of(field, x, steps, calls.nfe(), Double.NaN, Double.NaN);
  }
}
