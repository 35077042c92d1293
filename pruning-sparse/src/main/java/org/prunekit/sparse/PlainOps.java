package org.prunekit.sparse;

import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Pool;

/**
 * Plain Java kernels for the parameter-free nodes that {@link SparseGraphRunner} runs between
 * sparse layers (activations, residual sums, global pooling). They are cheap next to the matrix
 * products and follow PyTorch's definitions.
 */
final class PlainOps {
  private PlainOps() {}

  /** Applies an activation to {@code x} of shape {@code shape}, into {@code y} (same length); returns {@code y}. */
  static float[] activation(Activation a, float[] x, Shape shape, float[] y) {
    switch (a.kind()) {
      case RELU:
        for (int i = 0; i < x.length; i++) {
          y[i] = x[i] > 0f ? x[i] : 0f;
        }
        return y;
      case GELU:
        for (int i = 0; i < x.length; i++) {
          y[i] = (float) (0.5 * x[i] * (1.0 + erf(x[i] / Math.sqrt(2.0))));
        }
        return y;
      case SILU:
        for (int i = 0; i < x.length; i++) {
          y[i] = (float) (x[i] / (1.0 + Math.exp(-x[i])));
        }
        return y;
      case TANH:
        for (int i = 0; i < x.length; i++) {
          y[i] = (float) Math.tanh(x[i]);
        }
        return y;
      case SIGMOID:
        for (int i = 0; i < x.length; i++) {
          y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
        return y;
      case SOFTMAX:
      case LOG_SOFTMAX:
        softmax(x, y, shape, a.axis(), a.kind() == Activation.Kind.LOG_SOFTMAX);
        return y;
      default:
        throw new IllegalArgumentException("unknown activation " + a.kind());
    }
  }

  private static void softmax(float[] x, float[] y, Shape shape, int axis, boolean log) {
    int ax = axis < 0 ? shape.rank() + axis : axis;
    int len = shape.get(ax);
    long inner = shape.sizeFrom(ax + 1);
    long outer = shape.size() / (len * inner);
    for (long o = 0; o < outer; o++) {
      for (long in = 0; in < inner; in++) {
        int base = (int) (o * len * inner + in);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
          max = Math.max(max, x[base + j * (int) inner]);
        }
        double sum = 0;
        for (int j = 0; j < len; j++) {
          sum += Math.exp(x[base + j * (int) inner] - max);
        }
        double logSum = Math.log(sum);
        for (int j = 0; j < len; j++) {
          double z = x[base + j * (int) inner] - max - logSum;
          y[base + j * (int) inner] = (float) (log ? z : Math.exp(z));
        }
      }
    }
  }

  /** Element-wise sum of equally shaped arrays, into {@code y}; returns {@code y}. */
  static float[] add(float[][] xs, float[] y) {
    System.arraycopy(xs[0], 0, y, 0, y.length);
    for (int k = 1; k < xs.length; k++) {
      for (int i = 0; i < y.length; i++) {
        y[i] += xs[k][i];
      }
    }
    return y;
  }

  /** Global max or mean over the spatial positions of {@code [batch, channels, spatial...]}, into {@code y}. */
  static float[] globalPool(GlobalPool g, float[] x, Shape shape, float[] y) {
    int nc = shape.get(0) * shape.get(1);
    int s = (int) shape.sizeFrom(2);
    for (int i = 0; i < nc; i++) {
      if (g.kind() == Pool.Kind.MAX) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < s; j++) {
          m = Math.max(m, x[i * s + j]);
        }
        y[i] = m;
      } else {
        double sum = 0;
        for (int j = 0; j < s; j++) {
          sum += x[i * s + j];
        }
        y[i] = (float) (sum / s);
      }
    }
    return y;
  }

  /**
   * The error function, from the complementary error function's Chebyshev fit (Numerical Recipes
   * {@code erfcc}; fractional error below 1.2e-7 everywhere).
   */
  static double erf(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? 1.0 - ans : ans - 1.0;
  }
}
