package org.prunekit.analysis.simcert;

import static org.prunekit.analysis.simcert.Bounds.axpy;
import static org.prunekit.analysis.simcert.Bounds.constant;

/**
 * Propagates bounds through both networks of a {@link DualNetwork} and through their difference
 * on one box. Affine layers use interval arithmetic and linear forms; ReLU and max-pool
 * relaxations are in {@link Relaxations}.
 */
final class DualPropagator {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DualPropagator.class);

  private DualPropagator() {}

  /** Bounds on the output difference over {@code box}. */
  static DeltaBounds propagate(DualNetwork net, InputBox box, BoundMethod method) {
    Ctx c = new Ctx(box, method == BoundMethod.SYMBOLIC ? box.dims() : 0);
    Bounds f = input(c);
    Bounds g = f;
    Bounds d = new Bounds(c.n, false);
    int unstable = 0;
    for (Layer layer : net.layers()) {
      long t0 = System.nanoTime();
      if (layer instanceof Layer.Affine a) {
        Bounds nf = affine(a, a.wf(), a.bf(), f, c);
        Bounds ng = affine(a, a.wg(), a.bg(), g, c);
        d = affineDelta(a, f, d, nf, ng, c);
        f = nf;
        g = ng;
      } else if (layer instanceof Layer.Relu) {
        unstable += Relaxations.unstable(f) + Relaxations.unstable(g);
        Bounds hf = Relaxations.relu(f, c);
        Bounds hg = Relaxations.relu(g, c);
        d = Relaxations.reluDelta(f, g, d, hf, hg, c);
        f = hf;
        g = hg;
      } else if (layer instanceof Layer.MaxPool p) {
        int[] wf = new int[p.outSize()];
        int[] wg = new int[p.outSize()];
        Bounds hf = Relaxations.maxPool(p, f, wf, c);
        Bounds hg = Relaxations.maxPool(p, g, wg, c);
        d = Relaxations.maxPoolDelta(p, d, hf, hg, wf, wg, c);
        f = hf;
        g = hg;
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("layer {} ({}): {} ms", layer.node(), layer.getClass().getSimpleName(), (System.nanoTime() - t0) / 1e6);
      }
    }
    return new DeltaBounds(d.up, d.lo, d.cu, d.cl, c.nv, unstable);
  }

  /** Box corners and the number of symbolic variables. */
  static final class Ctx {
    final double[] lo;
    final double[] hi;
    final int nv;
    final int n;

    Ctx(InputBox box, int nv) {
      this.lo = box.lo();
      this.hi = box.hi();
      this.nv = nv;
      this.n = box.dims();
    }

    double max(double[] form) {
      return Bounds.max(form, lo, hi, nv);
    }

    double min(double[] form) {
      return Bounds.min(form, lo, hi, nv);
    }

    double maxOfDifference(double[] x, double[] y) {
      return Bounds.extremeOfDifference(x, y, lo, hi, nv, true);
    }

    double minOfDifference(double[] x, double[] y) {
      return Bounds.extremeOfDifference(x, y, lo, hi, nv, false);
    }
  }

  private static Bounds input(Ctx c) {
    boolean symbolic = c.nv > 0;
    Bounds b = new Bounds(c.n, symbolic);
    for (int j = 0; j < c.n; j++) {
      if (symbolic) {
        double[] e = Bounds.newForm(c.nv);
        e[j] = 1;
        Bounds.include(e, j, j + 1);
        b.up[j] = e;
        b.lo[j] = e;
      } else {
        b.up[j] = constant(c.hi[j], 0);
        b.lo[j] = constant(c.lo[j], 0);
      }
      b.cu[j] = c.hi[j];
      b.cl[j] = c.lo[j];
    }
    return b;
  }

  private static Bounds affine(Layer.Affine a, double[][] w, double[] bias, Bounds in, Ctx c) {
    Bounds out = new Bounds(a.outSize(), false);
    for (int o = 0; o < a.outSize(); o++) {
      double[] up = constant(bias[o], c.nv);
      double[] lo = constant(bias[o], c.nv);
      double iu = bias[o];
      double il = bias[o];
      int[] ix = a.idx()[o];
      double[] wr = w[o];
      for (int k = 0; k < ix.length; k++) {
        double wk = wr[k];
        if (wk == 0) {
          continue;
        }
        int j = ix[k];
        if (in.identity) {
          up[j] += wk;
          lo[j] += wk;
          Bounds.include(up, j, j + 1);
          Bounds.include(lo, j, j + 1);
        } else if (wk > 0) {
          axpy(up, wk, in.up[j]);
          axpy(lo, wk, in.lo[j]);
        } else {
          axpy(up, wk, in.lo[j]);
          axpy(lo, wk, in.up[j]);
        }
        iu += wk > 0 ? wk * in.cu[j] : wk * in.cl[j];
        il += wk > 0 ? wk * in.cl[j] : wk * in.cu[j];
      }
      out.up[o] = up;
      out.lo[o] = lo;
      out.cu[o] = Math.min(iu, c.max(up));
      out.cl[o] = Math.max(il, c.min(lo));
    }
    return out;
  }

  /**
   * {@code Δz' = W_g Δh + (W_f - W_g) h_f + (b_f - b_g)}, intersected with {@code z'_f - z'_g}
   * from the per-network bounds.
   */
  private static Bounds affineDelta(Layer.Affine a, Bounds fIn, Bounds dIn, Bounds fOut, Bounds gOut, Ctx c) {
    Bounds out = new Bounds(a.outSize(), false);
    for (int o = 0; o < a.outSize(); o++) {
      double db = a.bf()[o] - a.bg()[o];
      double[] up = null;
      double[] lo = null;
      double iu = db;
      double il = db;
      int[] ix = a.idx()[o];
      double[] wfr = a.wf()[o];
      double[] wgr = a.wg()[o];
      for (int k = 0; k < ix.length; k++) {
        int j = ix[k];
        double wg = wgr[k];
        double dd = wfr[k] - wg;
        boolean dNonZero = dIn.up[j] != null || dIn.lo[j] != null || dIn.cu[j] != 0 || dIn.cl[j] != 0;
        if (wg != 0 && dNonZero) {
          if (up == null) {
            up = constant(db, c.nv);
            lo = constant(db, c.nv);
          }
          if (wg > 0) {
            axpy(up, wg, dIn.up[j]);
            axpy(lo, wg, dIn.lo[j]);
          } else {
            axpy(up, wg, dIn.lo[j]);
            axpy(lo, wg, dIn.up[j]);
          }
          iu += wg > 0 ? wg * dIn.cu[j] : wg * dIn.cl[j];
          il += wg > 0 ? wg * dIn.cl[j] : wg * dIn.cu[j];
        }
        if (dd != 0) {
          if (up == null) {
            up = constant(db, c.nv);
            lo = constant(db, c.nv);
          }
          if (fIn.identity) {
            up[j] += dd;
            lo[j] += dd;
            Bounds.include(up, j, j + 1);
            Bounds.include(lo, j, j + 1);
          } else if (dd > 0) {
            axpy(up, dd, fIn.up[j]);
            axpy(lo, dd, fIn.lo[j]);
          } else {
            axpy(up, dd, fIn.lo[j]);
            axpy(lo, dd, fIn.up[j]);
          }
          iu += dd > 0 ? dd * fIn.cu[j] : dd * fIn.cl[j];
          il += dd > 0 ? dd * fIn.cl[j] : dd * fIn.cu[j];
        }
      }
      if (up == null && db != 0) {
        up = constant(db, c.nv);
        lo = constant(db, c.nv);
      }
      double mu = c.max(up);
      double ml = c.min(lo);
      if (up != null) {
        double su = c.maxOfDifference(fOut.up[o], gOut.lo[o]);
        if (su < mu) {
          up = Bounds.minus(fOut.up[o], gOut.lo[o], c.nv);
          mu = su;
        }
        double sl = c.minOfDifference(fOut.lo[o], gOut.up[o]);
        if (sl > ml) {
          lo = Bounds.minus(fOut.lo[o], gOut.up[o], c.nv);
          ml = sl;
        }
      }
      out.up[o] = up;
      out.lo[o] = lo;
      out.cu[o] = Math.min(Math.min(iu, mu), fOut.cu[o] - gOut.cl[o]);
      out.cl[o] = Math.max(Math.max(il, ml), fOut.cl[o] - gOut.cu[o]);
    }
    return out;
  }
}
