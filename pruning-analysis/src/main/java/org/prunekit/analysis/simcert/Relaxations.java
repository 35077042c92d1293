package org.prunekit.analysis.simcert;

import static org.prunekit.analysis.simcert.Bounds.constant;
import static org.prunekit.analysis.simcert.Bounds.minus;
import static org.prunekit.analysis.simcert.Bounds.scaled;

/**
 * ReLU and max-pool relaxations for one network (DeepPoly-style) and for the difference of two.
 * Where several sound linear bounds exist, the one with the tighter extreme on the box is kept.
 */
final class Relaxations {
  private Relaxations() {}

  static int unstable(Bounds z) {
    int n = 0;
    for (int j = 0; j < z.size(); j++) {
      n += z.cl[j] < 0 && z.cu[j] > 0 ? 1 : 0;
    }
    return n;
  }

  /**
   * ReLU of one network: inactive ({@code u <= 0}) gives 0, active ({@code l >= 0}) passes, and
   * unstable uses the triangle upper bound {@code u (z - l) / (u - l)} and the lower bound
   * {@code λ z} with {@code λ = 1} if {@code u > -l}, else 0.
   */
  static Bounds relu(Bounds z, DualPropagator.Ctx c) {
    Bounds h = new Bounds(z.size(), false);
    for (int j = 0; j < z.size(); j++) {
      double l = z.cl[j];
      double u = z.cu[j];
      if (u <= 0) {
        continue;
      }
      if (l >= 0) {
        h.up[j] = z.up[j];
        h.lo[j] = z.lo[j];
        h.cu[j] = u;
        h.cl[j] = l;
        continue;
      }
      double s = u / (u - l);
      h.up[j] = scaled(z.up[j], s, -s * l, c.nv);
      h.lo[j] = u > -l ? z.lo[j] : null;
      h.cu[j] = Math.min(u, c.max(h.up[j]));
      h.cl[j] = 0;
    }
    return h;
  }

  /**
   * {@code Δh = relu(z_f) - relu(z_g)}: exact when both signs are fixed; otherwise the tighter of
   * (A) the relaxation of {@code Δh ∈ [min(0, Δz), max(0, Δz)]} on {@code Δz}'s range and (B) the
   * difference of the two networks' relaxed bounds. The concrete range is also intersected with
   * {@code [min(0, l_Δ), max(0, u_Δ)]} and {@code [l_hf - u_hg, u_hf - l_hg]}.
   */
  static Bounds reluDelta(Bounds zf, Bounds zg, Bounds dz, Bounds hf, Bounds hg, DualPropagator.Ctx c) {
    Bounds d = new Bounds(zf.size(), false);
    int nv = c.nv;
    for (int j = 0; j < zf.size(); j++) {
      boolean fOff = zf.cu[j] <= 0;
      boolean fOn = zf.cl[j] >= 0;
      boolean gOff = zg.cu[j] <= 0;
      boolean gOn = zg.cl[j] >= 0;
      double ld = dz.cl[j];
      double ud = dz.cu[j];
      double ciu = Math.min(Math.max(0, ud), hf.cu[j] - hg.cl[j]);
      double cil = Math.max(Math.min(0, ld), hf.cl[j] - hg.cu[j]);
      double[] up;
      double[] lo;
      if (fOff && gOff) {
        continue;
      } else if (fOn && gOn) {
        up = dz.up[j];
        lo = dz.lo[j];
        ciu = Math.min(ciu, ud);
        cil = Math.max(cil, ld);
      } else if (fOn && gOff) {
        up = zf.up[j];
        lo = zf.lo[j];
      } else if (fOff && gOn) {
        up = minus(null, zg.lo[j], nv);
        lo = minus(null, zg.up[j], nv);
      } else {
        double[] upA;
        double[] loA;
        if (ld >= 0) {
          upA = dz.up[j];
          loA = null;
        } else if (ud <= 0) {
          upA = null;
          loA = dz.lo[j];
        } else {
          double s = ud / (ud - ld);
          upA = scaled(dz.up[j], s, -s * ld, nv);
          double t = -ld / (ud - ld);
          loA = scaled(dz.lo[j], t, -t * ud, nv);
        }
        up = c.max(upA) <= c.maxOfDifference(hf.up[j], hg.lo[j]) ? upA : minus(hf.up[j], hg.lo[j], nv);
        lo = c.min(loA) >= c.minOfDifference(hf.lo[j], hg.up[j]) ? loA : minus(hf.lo[j], hg.up[j], nv);
      }
      d.up[j] = up;
      d.lo[j] = lo;
      d.cu[j] = Math.min(ciu, c.max(up));
      d.cl[j] = Math.max(cil, c.min(lo));
    }
    return d;
  }

  /**
   * Max over windows of one network. With a stable winner (its lower bound at least every other
   * upper bound) the winner's forms pass; otherwise the lower form is the one of the element with
   * the largest lower bound and the upper form the constant largest upper bound. {@code winner[o]}
   * receives the stable winner's input index, or -1.
   */
  static Bounds maxPool(Layer.MaxPool p, Bounds in, int[] winner, DualPropagator.Ctx c) {
    Bounds out = new Bounds(p.outSize(), false);
    for (int o = 0; o < p.outSize(); o++) {
      int[] win = p.windows()[o];
      if (win.length == 0) {
        throw new IllegalArgumentException("max pool '" + p.node() + "' has an output whose window lies in the padding");
      }
      int best = win[0];
      double maxU = Double.NEGATIVE_INFINITY;
      for (int k : win) {
        if (in.cl[k] > in.cl[best]) {
          best = k;
        }
        maxU = Math.max(maxU, in.cu[k]);
      }
      boolean stable = true;
      for (int k : win) {
        if (k != best && in.cu[k] > in.cl[best]) {
          stable = false;
          break;
        }
      }
      out.cl[o] = in.cl[best];
      out.lo[o] = in.lo[best];
      if (stable) {
        out.up[o] = in.up[best];
        out.cu[o] = in.cu[best];
        winner[o] = best;
      } else {
        out.up[o] = constant(maxU, c.nv);
        out.cu[o] = maxU;
        winner[o] = -1;
      }
    }
    return out;
  }

  /**
   * {@code Δ = max_k a_k - max_k b_k}: the tightest of {@code [min_k Δ_k, max_k Δ_k]} (constant),
   * the difference of the two networks' pooled forms, {@code Δ <= Δ_i} when {@code f} has the
   * stable winner {@code i} and {@code Δ >= Δ_j} when {@code g} has the stable winner {@code j}.
   */
  static Bounds maxPoolDelta(Layer.MaxPool p, Bounds d, Bounds hf, Bounds hg, int[] winF, int[] winG,
      DualPropagator.Ctx c) {
    Bounds out = new Bounds(p.outSize(), false);
    int nv = c.nv;
    for (int o = 0; o < p.outSize(); o++) {
      double maxDu = Double.NEGATIVE_INFINITY;
      double minDl = Double.POSITIVE_INFINITY;
      boolean allZero = true;
      for (int k : p.windows()[o]) {
        maxDu = Math.max(maxDu, d.cu[k]);
        minDl = Math.min(minDl, d.cl[k]);
        allZero &= d.up[k] == null && d.lo[k] == null && d.cu[k] == 0 && d.cl[k] == 0;
      }
      if (allZero) { // a_k == b_k on the box for every k, so the maxima agree
        continue;
      }
      double[] up = constant(maxDu, nv);
      double bu = maxDu;
      double[] lo = constant(minDl, nv);
      double bl = minDl;
      double subU = c.maxOfDifference(hf.up[o], hg.lo[o]);
      double subL = c.minOfDifference(hf.lo[o], hg.up[o]);
      if (subU < bu) {
        up = minus(hf.up[o], hg.lo[o], nv);
        bu = subU;
      }
      if (subL > bl) {
        lo = minus(hf.lo[o], hg.up[o], nv);
        bl = subL;
      }
      if (winF[o] >= 0 && c.max(d.up[winF[o]]) < bu) {
        up = d.up[winF[o]];
        bu = c.max(up);
      }
      if (winG[o] >= 0 && c.min(d.lo[winG[o]]) > bl) {
        lo = d.lo[winG[o]];
        bl = c.min(lo);
      }
      out.up[o] = up;
      out.lo[o] = lo;
      out.cu[o] = Math.min(Math.min(maxDu, bu), hf.cu[o] - hg.cl[o]);
      out.cl[o] = Math.max(Math.max(minDl, bl), hf.cl[o] - hg.cu[o]);
    }
    return out;
  }
}
