package org.prunekit.analysis.simcert;

/**
 * Bounds on one vector of neurons: per neuron a linear upper and lower form over the symbolic
 * input variables ({@code [c_0..c_{nv-1}, const]}, {@code null} = the zero form) and concrete
 * upper and lower values (the intersection of interval propagation and the forms' extremes on the
 * box).
 */
final class Bounds {
  final double[][] up;
  final double[][] lo;
  final double[] cu;
  final double[] cl;
  /** True for the input layer when its forms are the unit vectors {@code x_j} (a fast path). */
  final boolean identity;

  Bounds(int size, boolean identity) {
    this.up = new double[size][];
    this.lo = new double[size][];
    this.cu = new double[size];
    this.cl = new double[size];
    this.identity = identity;
  }

  int size() {
    return cu.length;
  }

  /** Maximum of {@code form} over the box (the form's constant only when {@code nv == 0}). */
  static double max(double[] form, double[] blo, double[] bhi, int nv) {
    if (form == null) {
      return 0;
    }
    double s = form[nv];
    for (int i = 0; i < nv; i++) {
      double c = form[i];
      s += c > 0 ? c * bhi[i] : c * blo[i];
    }
    return s;
  }

  /** Minimum of {@code form} over the box. */
  static double min(double[] form, double[] blo, double[] bhi, int nv) {
    if (form == null) {
      return 0;
    }
    double s = form[nv];
    for (int i = 0; i < nv; i++) {
      double c = form[i];
      s += c > 0 ? c * blo[i] : c * bhi[i];
    }
    return s;
  }

  /** {@code acc += a * form}; a null form adds nothing. */
  static void axpy(double[] acc, double a, double[] form) {
    if (form == null) {
      return;
    }
    for (int i = 0; i < acc.length; i++) {
      acc[i] += a * form[i];
    }
  }

  /** {@code a * form + shift} as a new form ({@code null} stays zero plus the shift). */
  static double[] scaled(double[] form, double a, double shift, int nv) {
    double[] r = new double[nv + 1];
    if (form != null) {
      for (int i = 0; i <= nv; i++) {
        r[i] = a * form[i];
      }
    }
    r[nv] += shift;
    return r;
  }

  /** {@code x - y} as a new form. */
  static double[] minus(double[] x, double[] y, int nv) {
    if (x == null && y == null) {
      return null;
    }
    double[] r = new double[nv + 1];
    if (x != null) {
      System.arraycopy(x, 0, r, 0, nv + 1);
    }
    if (y != null) {
      for (int i = 0; i <= nv; i++) {
        r[i] -= y[i];
      }
    }
    return r;
  }

  /** The constant form {@code c}. */
  static double[] constant(double c, int nv) {
    double[] r = new double[nv + 1];
    r[nv] = c;
    return r;
  }
}
