package org.prunekit.sparse;

import java.util.SplittableRandom;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/** Random masked weights and a double-precision dense reference. */
final class SparseFixtures {
  private SparseFixtures() {}

  static float[] uniform(SplittableRandom rng, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
    }
    return a;
  }

  /** A random 0/1 mask with about {@code sparsity} zeros; rows listed in {@code emptyRows} are all zero. */
  static float[] mask(SplittableRandom rng, int out, int in, double sparsity, int... emptyRows) {
    float[] m = new float[out * in];
    for (int i = 0; i < m.length; i++) {
      m[i] = rng.nextDouble() < sparsity ? 0f : 1f;
    }
    for (int r : emptyRows) {
      java.util.Arrays.fill(m, r * in, (r + 1) * in, 0f);
    }
    return m;
  }

  static Parameter weight(float[] w, float[] mask, int out, int in) {
    Parameter p = new Parameter("fc", new ParamSpec("weight", ParamRole.WEIGHT, new Shape(out, in), "OI"),
        Tensor.of(w, out, in));
    p.setMask(mask == null ? null : Tensor.of(mask, out, in));
    return p;
  }

  /** y = x (W * mask)^T + b in double precision. */
  static double[] reference(float[] x, int batch, float[] w, float[] mask, float[] bias, int out, int in) {
    double[] y = new double[batch * out];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < out; o++) {
        double s = bias == null ? 0 : bias[o];
        for (int i = 0; i < in; i++) {
          if (mask == null || mask[o * in + i] == 1f) {
            s += (double) w[o * in + i] * x[b * in + i];
          }
        }
        y[b * out + o] = s;
      }
    }
    return y;
  }
}
