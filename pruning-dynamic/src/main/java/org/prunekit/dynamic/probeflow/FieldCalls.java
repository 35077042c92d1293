package org.prunekit.dynamic.probeflow;

import java.util.Objects;

/**
 * One solve's view of a field: validates the inputs once, then checks and counts every evaluation
 * so that a NaN or a wrong shape is reported with the solver, step and time where it appeared.
 */
final class FieldCalls {
  private final String solver;
  private final VelocityField field;
  private final float[][] condition;
  private final int batch;
  private final int dim;
  private int nfe;

  private FieldCalls(String solver, VelocityField field, float[][] condition, int batch, int dim) {
    this.solver = solver;
    this.field = field;
    this.condition = condition;
    this.batch = batch;
    this.dim = dim;
  }

  /** Validates {@code x0} and {@code condition} against {@code field}. */
  static FieldCalls start(String solver, VelocityField field, float[][] x0, float[][] condition) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(x0, "x0");
    int dim = field.dimension();
    if (dim <= 0) {
      throw new IllegalArgumentException(solver + ": field dimension must be > 0, got " + dim);
    }
    if (x0.length == 0) {
      throw new IllegalArgumentException(solver + ": x0 has an empty batch");
    }
    for (int b = 0; b < x0.length; b++) {
      if (x0[b] == null || x0[b].length != dim) {
        throw new IllegalArgumentException(solver + ": x0[" + b + "] has length "
            + (x0[b] == null ? "null" : x0[b].length) + ", the field's dimension is " + dim);
      }
      for (int i = 0; i < dim; i++) {
        if (!Float.isFinite(x0[b][i])) {
          throw new IllegalArgumentException(solver + ": x0[" + b + "][" + i + "] is not finite: " + x0[b][i]);
        }
      }
    }
    if (condition != null) {
      if (condition.length != x0.length) {
        throw new IllegalArgumentException(solver + ": condition has batch " + condition.length
            + " but x0 has batch " + x0.length);
      }
      for (int b = 0; b < condition.length; b++) {
        if (condition[b] == null) {
          throw new IllegalArgumentException(solver + ": condition[" + b + "] is null");
        }
      }
    }
    return new FieldCalls(solver, field, condition, x0.length, dim);
  }

  int batch() {
    return batch;
  }

  int dim() {
    return dim;
  }

  VelocityField field() {
    return field;
  }

  int nfe() {
    return nfe;
  }

  /**
   * Evaluates and checks the field.
   *
   * @param step the solver step (0-based) for the error message
   */
  float[][] eval(float[][] x, double t, int step) {
    float[][] v = field.velocity(x, (float) t, condition);
    nfe++;
    String where = solver + " step " + step + " (t=" + (float) t + ", evaluation " + nfe + ")";
    if (v == null || v.length != batch) {
      throw new InvalidVelocityException("velocity field returned " + (v == null ? "null" : "batch " + v.length)
          + " at " + where + ", expected [" + batch + "][" + dim + "]");
    }
    for (int b = 0; b < batch; b++) {
      if (v[b] == null || v[b].length != dim) {
        throw new InvalidVelocityException("velocity field returned a row of length "
            + (v[b] == null ? "null" : v[b].length) + " for sample " + b + " at " + where + ", expected " + dim);
      }
      float[] r = v[b];
      for (int i = 0; i < dim; i++) {
        if (!Float.isFinite(r[i])) {
          throw new InvalidVelocityException("velocity field returned " + r[i] + " for sample " + b + ", element "
              + i + " at " + where);
        }
      }
    }
    return v;
  }

  /** {@code x + h * v}, element-wise, in float32 like the reference PyTorch code. */
  static float[][] axpy(float[][] x, float h, float[][] v) {
    float[][] out = new float[x.length][];
    for (int b = 0; b < x.length; b++) {
      float[] xb = x[b];
      float[] vb = v[b];
      float[] o = new float[xb.length];
      for (int i = 0; i < o.length; i++) {
        o[i] = xb[i] + h * vb[i];
      }
      out[b] = o;
    }
    return out;
  }

  /** Rejects a step count below 1 with the solver's name. */
  static int checkSteps(String what, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException(what + " needs steps >= 1, got " + steps);
    }
    return steps;
  }
}
