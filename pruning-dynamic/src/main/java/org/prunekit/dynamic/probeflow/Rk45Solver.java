package org.prunekit.dynamic.probeflow;

/**
 * Adaptive explicit Runge–Kutta 5(4) of Dormand and Prince (FSAL, 7 stages, 6 new evaluations per
 * attempted step) on {@code t ∈ [0, 1]}, the adaptive baseline of the ProbeFlow code (rtol 1e-3, atol
 * 1e-5). The whole batch is one state vector, as in {@code torchdiffeq}/{@code scipy}: the error
 * norm is the RMS over every element of {@code err / (atol + rtol max(|y|, |y_new|))}, a step is
 * accepted when it is <= 1, and the step size follows {@code scipy.integrate.RK45} (safety 0.9,
 * factor in [0.2, 10], initial step chosen with one extra evaluation unless {@link
 * Builder#optInitialStep} is given). The state is held in double precision; the field sees float32.
 */
public final class Rk45Solver implements OdeSolver {
  private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
  private static final double[][] A = {
    {},
    {1.0 / 5},
    {3.0 / 40, 9.0 / 40},
    {44.0 / 45, -56.0 / 15, 32.0 / 9},
    {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
    {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
    {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}
  };
  /** 5th-order minus 4th-order weights (scipy's E), for stages 1..7. */
  private static final double[] E = {
    -71.0 / 57600, 0, 71.0 / 16695, -71.0 / 1920, 17253.0 / 339200, -22.0 / 525, 1.0 / 40
  };
  private static final double SAFETY = 0.9;
  private static final double MIN_FACTOR = 0.2;
  private static final double MAX_FACTOR = 10;

  private final double rtol;
  private final double atol;
  private final int maxSteps;
  private final double initialStep;

  private Rk45Solver(Builder b) {
    this.rtol = b.rtol;
    this.atol = b.atol;
    this.maxSteps = b.maxSteps;
    this.initialStep = b.initialStep;
  }

  /** A builder with rtol 1e-3, atol 1e-5 (the ProbeFlow code's settings). */
  public static Builder builder() {
    return new Builder();
  }

  /** A solver with rtol 1e-3, atol 1e-5. */
  public static Rk45Solver withDefaults() {
    return builder().build();
  }

  @Override
  public String name() {
    return "rk45";
  }

  /** The relative tolerance. */
  public double rtol() {
    return rtol;
  }

  /** The absolute tolerance. */
  public double atol() {
    return atol;
  }

  @Override
  public SolveResult solve(VelocityField field, float[][] x0, float[][] condition) {
    FieldCalls calls = FieldCalls.start(name(), field, x0, condition);
    int batch = calls.batch();
    int dim = calls.dim();
    int n = batch * dim;
    double[] y = new double[n];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < dim; i++) {
        y[b * dim + i] = x0[b][i];
      }
    }
    double[][] k = new double[7][];
    int accepted = 0;
    int attempts = 0;
    k[0] = eval(calls, y, 0.0, 0, batch, dim);
    double h = initialStep > 0 ? initialStep : selectInitialStep(calls, y, k[0], batch, dim);
    double t = 0;
    double[] yNew = new double[n];
    double[] stage = new double[n];
    while (t < 1.0) {
      if (attempts >= maxSteps) {
        throw new IllegalStateException("rk45 did not reach t=1 within " + maxSteps + " attempted steps (t="
            + t + ", h=" + h + "); loosen rtol/atol or raise optMaxSteps");
      }
      h = Math.min(h, 1.0 - t);
      if (t + h >= 1.0 - 1e-12) {
        h = 1.0 - t;
      }
      for (int s = 1; s < 7; s++) {
        double[] target = s == 6 ? yNew : stage;
        for (int i = 0; i < n; i++) {
          double acc = y[i];
          for (int j = 0; j < s; j++) {
            acc += h * A[s][j] * k[j][i];
          }
          target[i] = acc;
        }
        if (s < 6) {
          k[s] = eval(calls, stage, t + C[s] * h, accepted, batch, dim);
        }
      }
      k[6] = eval(calls, yNew, t + h, accepted, batch, dim);
      attempts++;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double e = 0;
        for (int j = 0; j < 7; j++) {
          e += E[j] * k[j][i];
        }
        e *= h;
        double scale = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
        sum += (e / scale) * (e / scale);
      }
      double err = Math.sqrt(sum / n);
      if (err <= 1.0) {
        t += h;
        accepted++;
        double[] swap = y;
        y = yNew;
        yNew = swap;
        k[0] = k[6];
        double factor = err == 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, SAFETY * Math.pow(err, -0.2));
        h *= factor;
      } else {
        h *= Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -0.2));
      }
    }
    float[][] x = new float[batch][dim];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < dim; i++) {
        x[b][i] = (float) y[b * dim + i];
      }
    }
    return SolveResult.of(field, x, accepted, calls.nfe(), Double.NaN, Double.NaN);
  }

  /** scipy's {@code select_initial_step} for order 4 (one evaluation). */
  private double selectInitialStep(FieldCalls calls, double[] y0, double[] f0, int batch, int dim) {
    int n = y0.length;
    double d0 = 0;
    double d1 = 0;
    double[] scale = new double[n];
    for (int i = 0; i < n; i++) {
      scale[i] = atol + Math.abs(y0[i]) * rtol;
      d0 += (y0[i] / scale[i]) * (y0[i] / scale[i]);
      d1 += (f0[i] / scale[i]) * (f0[i] / scale[i]);
    }
    d0 = Math.sqrt(d0 / n);
    d1 = Math.sqrt(d1 / n);
    double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    h0 = Math.min(h0, 1.0);
    double[] y1 = new double[n];
    for (int i = 0; i < n; i++) {
      y1[i] = y0[i] + h0 * f0[i];
    }
    double[] f1 = eval(calls, y1, h0, 0, batch, dim);
    double d2 = 0;
    for (int i = 0; i < n; i++) {
      double q = (f1[i] - f0[i]) / scale[i];
      d2 += q * q;
    }
    d2 = Math.sqrt(d2 / n) / h0;
    double h1 = (d1 <= 1e-15 && d2 <= 1e-15) ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1.0 / 5);
    return Math.min(Math.min(100 * h0, h1), 1.0);
  }

  private static double[] eval(FieldCalls calls, double[] y, double t, int step, int batch, int dim) {
    float[][] x = new float[batch][dim];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < dim; i++) {
        x[b][i] = (float) y[b * dim + i];
      }
    }
    float[][] v = calls.eval(x, t, step);
    double[] out = new double[batch * dim];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < dim; i++) {
        out[b * dim + i] = v[b][i];
      }
    }
    return out;
  }

  /** Builder; every setting is optional and validated at {@link #build()}. */
  public static final class Builder {
    private double rtol = 1e-3;
    private double atol = 1e-5;
    private int maxSteps = 10_000;
    private double initialStep = 0;

    private Builder() {}

    /** Relative tolerance, > 0 (default 1e-3). */
    public Builder optRtol(double rtol) {
      this.rtol = rtol;
      return this;
    }

    /** Absolute tolerance, > 0 (default 1e-5). */
    public Builder optAtol(double atol) {
      this.atol = atol;
      return this;
    }

    /** Most attempted steps before giving up, >= 1 (default 10000). */
    public Builder optMaxSteps(int maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    /** A fixed first step size in (0, 1]; by default it is chosen with one extra evaluation. */
    public Builder optInitialStep(double initialStep) {
      this.initialStep = initialStep;
      return this;
    }

    /**
     * Builds the solver.
     *
     * @throws IllegalArgumentException naming the setting and value out of range
     */
    public Rk45Solver build() {
      if (!(rtol > 0) || !Double.isFinite(rtol)) {
        throw new IllegalArgumentException("rk45 rtol must be > 0 and finite, got " + rtol);
      }
      if (!(atol > 0) || !Double.isFinite(atol)) {
        throw new IllegalArgumentException("rk45 atol must be > 0 and finite, got " + atol);
      }
      if (maxSteps < 1) {
        throw new IllegalArgumentException("rk45 maxSteps must be >= 1, got " + maxSteps);
      }
      if (!(initialStep == 0 || (initialStep > 0 && initialStep <= 1))) {
        throw new IllegalArgumentException("rk45 initialStep must be in (0, 1], got " + initialStep);
      }
      return new Rk45Solver(this);
    }
  }
}
