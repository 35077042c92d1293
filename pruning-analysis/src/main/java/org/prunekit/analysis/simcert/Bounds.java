package org.prunekit.analysis.simcert;

/**
 * Bounds on one vector of neurons: per neuron a linear upper and lower form over the symbolic
 * input variables ({@code [c_0..c_{nv-1}, const, from, to]}, see {@link #newForm}; {@code null} = the zero form) and concrete
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

  /**
   * A new zero form over {@code nv} variables. Layout: {@code [c_0..c_{nv-1}, const, from, to]}
   * where {@code [from, to)} covers every non-zero coefficient (empty when {@code from >= to}),
   * so that sums skip the inputs outside a neuron's receptive field.
   */
  static double[] newForm(int nv) {
    double[] r = new double[nv + 3];
    r[nv + 1] = nv;
    return r;
  }

  /** Widens the non-zero range of {@code f} to include {@code [from, to)}. */
  static void include(double[] f, int from, int to) {
    if (from < to) {
      int nv = f.length - 3;
      f[nv + 1] = Math.min(f[nv + 1], from);
      f[nv + 2] = Math.max(f[nv + 2], to);
    }
  }

  /** Maximum of {@code form} over the box (the form's constant only when {@code nv == 0}). */
  static double max(double[] form, double[] blo, double[] bhi, int nv) {
    if (form == null) {
      return 0;
    }
    double s = form[nv];
    int to = (int) form[nv + 2];
    for (int i = (int) form[nv + 1]; i < to; i++) {
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
    int to = (int) form[nv + 2];
    for (int i = (int) form[nv + 1]; i < to; i++) {
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
    int nv = acc.length - 3;
    int from = (int) form[nv + 1];
    int to = (int) form[nv + 2];
    for (int i = from; i < to; i++) {
      acc[i] += a * form[i];
    }
    acc[nv] += a * form[nv];
    include(acc, from, to);
  }

  /** {@code a * form + shift} as a new form ({@code null} stays zero plus the shift). */
  static double[] scaled(double[] form, double a, double shift, int nv) {
    double[] r = newForm(nv);
    if (form != null) {
      int from = (int) form[nv + 1];
      int to = (int) form[nv + 2];
      for (int i = from; i < to; i++) {
        r[i] = a * form[i];
      }
      r[nv] = a * form[nv];
      include(r, from, to);
    }
    r[nv] += shift;
    return r;
  }

  /**
   * Maximum ({@code upper}) or minimum of {@code x - y} over the box, without building the form.
   */
  static double extremeOfDifference(double[] x, double[] y, double[] blo, double[] bhi, int nv, boolean upper) {
    if (x == null && y == null) {
      return 0;
    }
    if (y == null) {
      return upper ? max(x, blo, bhi, nv) : min(x, blo, bhi, nv);
    }
    if (x == null) {
      return upper ? -min(y, blo, bhi, nv) : -max(y, blo, bhi, nv);
    }
    int xf = (int) x[nv + 1];
    int xt = (int) x[nv + 2];
    int yf = (int) y[nv + 1];
    int yt = (int) y[nv + 2];
    int from = Math.min(xf, yf);
    int to = Math.max(xt, yt);
    double s = x[nv] - y[nv];
    for (int i = from; i < to; i++) {
      double c = (i >= xf && i < xt ? x[i] : 0) - (i >= yf && i < yt ? y[i] : 0);
      s += (c > 0) == upper ? c * bhi[i] : c * blo[i];
    }
    return s;
  }

  /** {@code x - y} as a new form. */
  static double[] minus(double[] x, double[] y, int nv) {
    if (x == null && y == null) {
      return null;
    }
    double[] r = newForm(nv);
    axpy(r, 1, x);
    axpy(r, -1, y);
    return r;
  }

  /** The constant form {@code c}. */
  static double[] constant(double c, int nv) {
    double[] r = newForm(nv);
    r[nv] = c;
    return r;
  }
}
