package org.prunekit.dynamic.probeflow.policy;

import java.util.Arrays;

/**
 * Per-axis scaling between physical units and the head's space: velocities map their training
 * range {@code [min, max]} onto {@code [-1, 1]} (the range of the uniform start noise), positions
 * are standardised.
 *
 * @param actionMin per-axis minimum velocity (m/s) in the training chunks
 * @param actionMax per-axis maximum velocity (m/s)
 * @param positionMean per-axis mean position (m)
 * @param positionStd per-axis position standard deviation (m)
 */
public record ChunkNormalizer(float[] actionMin, float[] actionMax, float[] positionMean, float[] positionStd) {
  /** Validates lengths and ranges. */
  public ChunkNormalizer {
    for (float[] a : new float[][] {actionMin, actionMax, positionMean, positionStd}) {
      if (a == null || a.length != 3) {
        throw new IllegalArgumentException("normalizer arrays must have 3 entries (x, y, z)");
      }
    }
    for (int i = 0; i < 3; i++) {
      if (!(actionMax[i] > actionMin[i]) || !(positionStd[i] > 0)) {
        throw new IllegalArgumentException("axis " + i + ": empty action range [" + actionMin[i] + ", "
            + actionMax[i] + "] or position std " + positionStd[i]);
      }
    }
    actionMin = actionMin.clone();
    actionMax = actionMax.clone();
    positionMean = positionMean.clone();
    positionStd = positionStd.clone();
  }

  /** Fits the scaling to training chunks. */
  public static ChunkNormalizer fit(ActionChunks train) {
    float[] lo = new float[3];
    float[] hi = new float[3];
    Arrays.fill(lo, Float.POSITIVE_INFINITY);
    Arrays.fill(hi, Float.NEGATIVE_INFINITY);
    double[] sum = new double[3];
    double[] sq = new double[3];
    for (int n = 0; n < train.size(); n++) {
      float[] a = train.actions()[n];
      for (int i = 0; i < a.length; i++) {
        lo[i % 3] = Math.min(lo[i % 3], a[i]);
        hi[i % 3] = Math.max(hi[i % 3], a[i]);
      }
      for (int i = 0; i < 3; i++) {
        sum[i] += train.conditions()[n][i];
        sq[i] += (double) train.conditions()[n][i] * train.conditions()[n][i];
      }
    }
    float[] mean = new float[3];
    float[] std = new float[3];
    for (int i = 0; i < 3; i++) {
      double m = sum[i] / train.size();
      mean[i] = (float) m;
      std[i] = (float) Math.sqrt(Math.max(1e-12, sq[i] / train.size() - m * m));
    }
    return new ChunkNormalizer(lo, hi, mean, std);
  }

  /** The per-axis velocity range {@code max - min} in m/s. */
  public float[] actionRange() {
    float[] r = new float[3];
    for (int i = 0; i < 3; i++) {
      r[i] = actionMax[i] - actionMin[i];
    }
    return r;
  }

  /** Velocities (m/s, {@code [3H]}) to the head's [-1, 1] space. */
  public float[] normalizeAction(float[] a) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      int ax = i % 3;
      out[i] = 2 * (a[i] - actionMin[ax]) / (actionMax[ax] - actionMin[ax]) - 1;
    }
    return out;
  }

  /** The head's [-1, 1] space back to m/s. */
  public float[] denormalizeAction(float[] z) {
    float[] out = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      int ax = i % 3;
      out[i] = (z[i] + 1) * 0.5f * (actionMax[ax] - actionMin[ax]) + actionMin[ax];
    }
    return out;
  }

  /** A position (m) standardised. */
  public float[] normalizePosition(float[] p) {
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      out[i] = (p[i] - positionMean[i]) / positionStd[i];
    }
    return out;
  }
}
