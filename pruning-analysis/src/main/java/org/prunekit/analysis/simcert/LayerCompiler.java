package org.prunekit.analysis.simcert;

import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Pool;

/** Turns one node pair into a {@link Layer} over flattened activations (null for pass-through ops). */
final class LayerCompiler {
  private LayerCompiler() {}

  static Layer compile(Node a, Node b, Shape in, Shape out) {
    int inSize = Math.toIntExact(in.size());
    int outSize = Math.toIntExact(out.size());
    if (a.op() instanceof Linear l) {
      return linear(a, b, l, inSize, outSize);
    } else if (a.op() instanceof Conv c) {
      return conv(a, b, c, in, out);
    } else if (a.op() instanceof BatchNorm bn) {
      return batchNorm(a, b, bn, in);
    } else if (a.op() instanceof Activation) {
      return new Layer.Relu(a.name(), outSize);
    } else if (a.op() instanceof Pool p) {
      return pool(a, p, in, out);
    }
    return null;
  }

  private static Layer linear(Node a, Node b, Linear l, int inSize, int outSize) {
    double[] wf = DualNetwork.effective(a.param("weight"));
    double[] wg = DualNetwork.effective(b.param("weight"));
    double[] bf = l.bias() ? DualNetwork.effective(a.param("bias")) : new double[l.outFeatures()];
    double[] bg = l.bias() ? DualNetwork.effective(b.param("bias")) : new double[l.outFeatures()];
    int fin = l.inFeatures();
    int fout = l.outFeatures();
    int positions = inSize / fin;
    int[][] idx = new int[outSize][];
    double[][] rf = new double[outSize][];
    double[][] rg = new double[outSize][];
    double[] cf = new double[outSize];
    double[] cg = new double[outSize];
    for (int p = 0; p < positions; p++) {
      for (int o = 0; o < fout; o++) {
        int row = p * fout + o;
        idx[row] = new int[fin];
        rf[row] = new double[fin];
        rg[row] = new double[fin];
        for (int i = 0; i < fin; i++) {
          idx[row][i] = p * fin + i;
          rf[row][i] = wf[o * fin + i];
          rg[row][i] = wg[o * fin + i];
        }
        cf[row] = bf[o];
        cg[row] = bg[o];
      }
    }
    return new Layer.Affine(a.name(), inSize, outSize, idx, rf, rg, cf, cg);
  }

  private static Layer conv(Node a, Node b, Conv c, Shape in, Shape out) {
    WindowGeometry geo = geometry(in, out, c.kernel(), c.stride(), c.dilation(), c.padding());
    double[] wf = DualNetwork.effective(a.param("weight"));
    double[] wg = DualNetwork.effective(b.param("weight"));
    double[] bf = c.bias() ? DualNetwork.effective(a.param("bias")) : new double[c.outChannels()];
    double[] bg = c.bias() ? DualNetwork.effective(b.param("bias")) : new double[c.outChannels()];
    int cinPerGroup = c.inChannels() / c.groups();
    int coutPerGroup = c.outChannels() / c.groups();
    int ks = geo.kernelSize();
    int inSp = geo.inSpatialSize();
    int outSp = geo.outSpatialSize();
    int outSize = c.outChannels() * outSp;
    int[][] idx = new int[outSize][];
    double[][] rf = new double[outSize][];
    double[][] rg = new double[outSize][];
    double[] cf = new double[outSize];
    double[] cg = new double[outSize];
    for (int pos = 0; pos < outSp; pos++) {
      int[] win = geo.window(pos);
      int valid = 0;
      for (int w : win) {
        valid += w >= 0 ? 1 : 0;
      }
      for (int oc = 0; oc < c.outChannels(); oc++) {
        int group = oc / coutPerGroup;
        int row = oc * outSp + pos;
        int[] ix = new int[valid * cinPerGroup];
        double[] vf = new double[ix.length];
        double[] vg = new double[ix.length];
        int t = 0;
        for (int ic = 0; ic < cinPerGroup; ic++) {
          int inCh = group * cinPerGroup + ic;
          for (int k = 0; k < ks; k++) {
            if (win[k] < 0) {
              continue;
            }
            int wi = (oc * cinPerGroup + ic) * ks + k;
            ix[t] = inCh * inSp + win[k];
            vf[t] = wf[wi];
            vg[t] = wg[wi];
            t++;
          }
        }
        idx[row] = ix;
        rf[row] = vf;
        rg[row] = vg;
        cf[row] = bf[oc];
        cg[row] = bg[oc];
      }
    }
    return new Layer.Affine(a.name(), Math.toIntExact(in.size()), outSize, idx, rf, rg, cf, cg);
  }

  private static Layer batchNorm(Node a, Node b, BatchNorm bn, Shape in) {
    double[][] sf = bnAffine(a, bn);
    double[][] sg = bnAffine(b, bn);
    int size = Math.toIntExact(in.size());
    int per = size / bn.channels();
    int[][] idx = new int[size][];
    double[][] rf = new double[size][];
    double[][] rg = new double[size][];
    double[] cf = new double[size];
    double[] cg = new double[size];
    for (int o = 0; o < size; o++) {
      int ch = o / per;
      idx[o] = new int[] {o};
      rf[o] = new double[] {sf[0][ch]};
      rg[o] = new double[] {sg[0][ch]};
      cf[o] = sf[1][ch];
      cg[o] = sg[1][ch];
    }
    return new Layer.Affine(a.name(), size, size, idx, rf, rg, cf, cg);
  }

  /** [scale, shift] per channel: {@code y = scale * x + shift}. */
  private static double[][] bnAffine(Node n, BatchNorm bn) {
    double[] gamma = DualNetwork.effective(n.param("gamma"));
    double[] beta = DualNetwork.effective(n.param("beta"));
    double[] mean = DualNetwork.effective(n.param("running_mean"));
    double[] var = DualNetwork.effective(n.param("running_var"));
    double[] scale = new double[bn.channels()];
    double[] shift = new double[bn.channels()];
    for (int c = 0; c < bn.channels(); c++) {
      scale[c] = gamma[c] / Math.sqrt(var[c] + bn.epsilon());
      shift[c] = beta[c] - mean[c] * scale[c];
    }
    return new double[][] {scale, shift};
  }

  private static Layer pool(Node a, Pool p, Shape in, Shape out) {
    int[] ones = new int[p.spatialDims()];
    java.util.Arrays.fill(ones, 1);
    WindowGeometry geo = geometry(in, out, p.kernel(), p.stride(), ones, p.padding());
    int channels = in.get(0);
    int inSp = geo.inSpatialSize();
    int outSp = geo.outSpatialSize();
    int outSize = channels * outSp;
    int[][] windows = new int[outSize][];
    double[][] weights = new double[outSize][];
    for (int pos = 0; pos < outSp; pos++) {
      int[] win = geo.window(pos);
      int valid = 0;
      for (int w : win) {
        valid += w >= 0 ? 1 : 0;
      }
      double divisor = p.countIncludePad() ? win.length : valid;
      for (int ch = 0; ch < channels; ch++) {
        int[] ix = new int[valid];
        double[] wt = new double[valid];
        int t = 0;
        for (int w : win) {
          if (w >= 0) {
            ix[t] = ch * inSp + w;
            wt[t] = 1.0 / divisor;
            t++;
          }
        }
        windows[ch * outSp + pos] = ix;
        weights[ch * outSp + pos] = wt;
      }
    }
    if (p.kind() == Pool.Kind.MAX) {
      return new Layer.MaxPool(a.name(), outSize, windows);
    }
    return new Layer.Affine(a.name(), Math.toIntExact(in.size()), outSize, windows, weights, weights,
        new double[outSize], new double[outSize]);
  }

  private static WindowGeometry geometry(Shape in, Shape out, int[] k, int[] s, int[] d,
      org.prunekit.core.graph.op.Padding padding) {
    int n = in.rank() - 1;
    int[] inSp = new int[n];
    int[] outSp = new int[n];
    for (int i = 0; i < n; i++) {
      inSp[i] = in.get(1 + i);
      outSp[i] = out.get(1 + i);
    }
    return new WindowGeometry(inSp, outSp, k, s, d, padding);
  }
}
