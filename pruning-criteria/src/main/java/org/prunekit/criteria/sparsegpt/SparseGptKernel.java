package org.prunekit.criteria.sparsegpt;

import java.util.Arrays;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ThresholdMode;
import org.prunekit.criteria.pattern.NmPattern;

/** One SparseGPT sweep over one layer (see {@link SparseGpt}); validates, then computes. */
final class SparseGptKernel {
  private final String layer;
  private final Shape shape;
  private final float[] weight;
  private final double[] hessian;
  private final int rows;
  private final int cols;
  private final int blockSize;
  private final double percDamp;
  private final ThresholdMode mode;

  SparseGptKernel(String layer, Shape shape, float[] weight, double[] hessian, int cols, int blockSize,
      double percDamp, ThresholdMode mode) {
    this.layer = layer;
    this.shape = shape;
    this.weight = weight;
    this.hessian = hessian;
    this.rows = shape.get(0);
    this.cols = cols;
    this.blockSize = blockSize;
    this.percDamp = percDamp;
    this.mode = mode;
  }

  /** Input width of the {@code [out, in*k...]} view. */
  static int columns(String layer, Shape shape) {
    if (shape.rank() < 2 || shape.size() == 0) {
      throw new IllegalArgumentException("SparseGPT on '" + layer + "': weight has shape " + shape
          + "; need [out, in] or [out, in, k...] with no zero dimension");
    }
    return Math.toIntExact(shape.size() / shape.get(0));
  }

  SparseGptResult run(double sparsity, NmPattern nm, float[] prior) {
    validate();
    double[] w = new double[weight.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = weight[i];
    }
    double[] h = hessian.clone();
    int[] dead = deadColumns(h, w);
    double[] u = inverseUpperFactor(h);
    boolean[] pruned = new boolean[w.length];
    if (prior != null) {
      for (int i = 0; i < prior.length; i++) {
        pruned[i] = prior[i] == 0f;
      }
    }
    boolean[] old = pruned.clone();
    double[] losses = new double[rows];
    for (int i1 = 0; i1 < cols; i1 += blockSize) {
      int i2 = Math.min(i1 + blockSize, cols);
      sweepBlock(w, u, pruned, old, losses, i1, i2, sparsity, nm);
    }
    float[] outW = new float[w.length];
    float[] outM = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      outW[i] = pruned[i] ? 0f : (float) w[i];
      outM[i] = pruned[i] ? 0f : 1f;
      if (!Float.isFinite(outW[i])) {
        throw new IllegalArgumentException("SparseGPT on '" + layer + "' produced " + outW[i] + " at index " + i
            + "; the Hessian is too ill-conditioned (raise percdamp)");
      }
    }
    return new SparseGptResult(new Tensor(shape, outW), new Tensor(shape, outM), losses, dead);
  }

  private void validate() {
    for (int i = 0; i < weight.length; i++) {
      if (!Float.isFinite(weight[i])) {
        throw new IllegalArgumentException("weight of '" + layer + "' holds " + weight[i] + " at flat index " + i
            + " (shape " + shape + "); cannot prune non-finite weights");
      }
    }
    if (hessian.length != (long) cols * cols) {
      throw new IllegalArgumentException("Hessian of '" + layer + "' has " + hessian.length + " entries, but weight "
          + shape + " with input width " + cols + " needs " + cols + " x " + cols + " = " + (long) cols * cols);
    }
    double maxDiag = 0;
    for (int j = 0; j < cols; j++) {
      for (int k = 0; k < cols; k++) {
        double v = hessian[j * cols + k];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("Hessian of '" + layer + "' holds " + v + " at [" + j + ", " + k + "]");
        }
      }
      double d = hessian[j * cols + j];
      if (d < 0) {
        throw new IllegalArgumentException("Hessian of '" + layer + "' has negative diagonal " + d + " at [" + j
            + ", " + j + "]; a Hessian 2 X^T X / n is positive semi-definite");
      }
      maxDiag = Math.max(maxDiag, d);
    }
    double tol = 1e-9 * maxDiag;
    for (int j = 0; j < cols; j++) {
      for (int k = j + 1; k < cols; k++) {
        double a = hessian[j * cols + k];
        double b = hessian[k * cols + j];
        if (Math.abs(a - b) > tol + 1e-12 * (Math.abs(a) + Math.abs(b))) {
          throw new IllegalArgumentException("Hessian of '" + layer + "' is not symmetric: [" + j + ", " + k + "] = "
              + a + " but [" + k + ", " + j + "] = " + b);
        }
      }
    }
  }

  /** Reference: {@code dead = diag(H) == 0; H[dead, dead] = 1; W[:, dead] = 0}. */
  private int[] deadColumns(double[] h, double[] w) {
    int n = 0;
    int[] dead = new int[cols];
    for (int j = 0; j < cols; j++) {
      if (h[j * cols + j] == 0) {
        dead[n++] = j;
        h[j * cols + j] = 1;
        for (int r = 0; r < rows; r++) {
          w[r * cols + j] = 0;
        }
      }
    }
    return Arrays.copyOf(dead, n);
  }

  /** Dampening, then {@code U} with {@code U^T U = H^-1}. */
  private double[] inverseUpperFactor(double[] h) {
    double mean = 0;
    for (int j = 0; j < cols; j++) {
      mean += h[j * cols + j];
    }
    mean /= cols;
    double damp = percDamp * mean;
    for (int j = 0; j < cols; j++) {
      h[j * cols + j] += damp;
    }
    double[] l = DenseCholesky.lower(h, cols);
    double[] u = l == null ? null : DenseCholesky.upper(DenseCholesky.inverseFromLower(l, cols), cols);
    if (u == null) {
      throw new IllegalArgumentException("Hessian of '" + layer + "' (" + cols + " x " + cols
          + ") is not positive definite even after dampening with percdamp=" + percDamp + " (damp " + damp
          + "); use 2 X^T X / n of real calibration inputs or raise percdamp");
    }
    return u;
  }

  private void sweepBlock(double[] w, double[] u, boolean[] pruned, boolean[] old, double[] losses, int i1, int i2,
      double sparsity, NmPattern nm) {
    int count = i2 - i1;
    if (nm == null) {
      selectBlock(w, u, pruned, i1, i2, sparsity);
    }
    double[] err = new double[rows * count];
    for (int i = 0; i < count; i++) {
      int c = i1 + i;
      if (nm != null && i % nm.groupM() == 0) {
        selectGroup(w, u, pruned, old, c, nm);
      }
      double d = u[c * cols + c];
      int uRow = c * cols;
      for (int r = 0; r < rows; r++) {
        int rc = r * cols;
        double wv = w[rc + c];
        double q = pruned[rc + c] ? 0 : wv;
        double e = (wv - q) / d;
        losses[r] += (wv - q) * (wv - q) / (d * d) / 2;
        err[r * count + i] = e;
        if (e != 0) {
          for (int j = c + 1; j < i2; j++) {
            w[rc + j] -= e * u[uRow + j];
          }
        }
        w[rc + c] = q;
      }
    }
    if (i2 == cols) {
      return;
    }
    for (int r = 0; r < rows; r++) {
      int rc = r * cols;
      for (int k = 0; k < count; k++) {
        double e = err[r * count + k];
        if (e == 0) {
          continue;
        }
        int uRow = (i1 + k) * cols;
        for (int j = i2; j < cols; j++) {
          w[rc + j] -= e * u[uRow + j];
        }
      }
    }
  }

  /** Unstructured: one selection over the {@code rows x block} slice by {@code w^2 / U_jj^2}. */
  private void selectBlock(double[] w, double[] u, boolean[] pruned, int i1, int i2, double sparsity) {
    int count = i2 - i1;
    int m = rows * count;
    double[] score = new double[m];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < count; i++) {
        int c = i1 + i;
        double d = u[c * cols + c];
        double wv = w[r * cols + c];
        score[r * count + i] = pruned[r * cols + c] ? Double.NEGATIVE_INFINITY : wv * wv / (d * d);
      }
    }
    long kl = (long) Math.floor(sparsity * m);
    int k = (int) Math.min(kl, m);
    double[] sorted = score.clone();
    Arrays.sort(sorted);
    boolean[] sel = new boolean[m];
    if (mode == ThresholdMode.REFERENCE) {
      double t = sorted[Math.min(k, m - 1)];
      for (int i = 0; i < m; i++) {
        sel[i] = score[i] <= t;
      }
    } else if (k > 0) {
      double t = sorted[k - 1];
      int below = 0;
      for (int i = 0; i < m; i++) {
        if (score[i] < t) {
          sel[i] = true;
          below++;
        }
      }
      for (int i = 0; i < m && below < k; i++) {
        if (score[i] == t) {
          sel[i] = true;
          below++;
        }
      }
    }
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < count; i++) {
        if (sel[r * count + i]) {
          pruned[r * cols + i1 + i] = true;
        }
      }
    }
  }

  /** N:M: in every row the {@code M - N} lowest {@code w^2 / U_jj^2} of columns {@code [c, c+M)}. */
  private void selectGroup(double[] w, double[] u, boolean[] pruned, boolean[] old, int c, NmPattern nm) {
    int m = nm.groupM();
    int drop = nm.prunedN();
    double[] s = new double[m];
    boolean[] take = new boolean[m];
    for (int r = 0; r < rows; r++) {
      int rc = r * cols;
      for (int i = 0; i < m; i++) {
        double d = u[(c + i) * cols + c + i];
        double wv = w[rc + c + i];
        s[i] = old[rc + c + i] ? Double.NEGATIVE_INFINITY : wv * wv / (d * d);
        take[i] = false;
      }
      for (int n = 0; n < drop; n++) {
        int best = -1;
        for (int i = 0; i < m; i++) {
          if (!take[i] && (best < 0 || s[i] < s[best])) {
            best = i;
          }
        }
        take[best] = true;
      }
      for (int i = 0; i < m; i++) {
        pruned[rc + c + i] = take[i] || old[rc + c + i];
      }
    }
  }
}
