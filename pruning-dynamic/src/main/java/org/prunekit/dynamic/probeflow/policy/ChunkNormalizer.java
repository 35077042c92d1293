package org.prunekit.dynamic.probeflow.policy;

import java.util.Arrays;

/**
 * Per-axis scaling between physical units and the head's space: velocities map their training
 * range {@code [min, max]} onto {@code [-1, 1]} (the range of the uniform start noise), conditions
 * (position, or position and velocity) are standardised.
 *
 * @param actionMin per-axis minimum velocity (m/s) in the training chunks
 * @param actionMax per-axis maximum velocity (m/s)
 * @param conditionMean per-component mean of the condition (metres, m/s)
 * @param conditionStd per-component standard deviation of the condition
 */
public record ChunkNormalizer(float[] actionMin, float[] actionMax, float[] conditionMean, float[] conditionStd) {
  /** Validates lengths and ranges. */
  public ChunkNormalizer {
    if (actionMin == null || actionMax == null || actionMin.length != 3 || actionMax.length != 3) {
      throw new IllegalArgumentException("actionMin and actionMax must have 3 entries (x, y, z)");
    }
    if (conditionMean == null || conditionStd == null || conditionMean.length == 0
        || conditionMean.length != conditionStd.length) {
      throw new IllegalArgumentException("conditionMean and conditionStd must be non-empty and of equal length");
    }
    for (int i = 0; i < 3; i++) {
      if (!(actionMax[i] > actionMin[i])) {
        throw new IllegalArgumentException("axis " + i + ": empty action range [" + actionMin[i] + ", "
            + actionMax[i] + "]");
      }
    }
    for (int i = 0; i < conditionStd.length; i++) {
      if (!(conditionStd[i] > 0)) {
        throw new IllegalArgumentException("condition component " + i + ": std must be > 0, got " + conditionStd[i]);
      }
    }
    actionMin = actionMin.clone();
    actionMax = actionMax.clone();
    conditionMean = conditionMean.clone();
    conditionStd = conditionStd.clone();
  }

  /** Fits the scaling to training chunks. */
  public static ChunkNormalizer fit(ActionChunks train) {
    float[] lo = new float[3];
    float[] hi = new float[3];
    Arrays.fill(lo, Float.POSITIVE_INFINITY);
    Arrays.fill(hi, Float.NEGATIVE_INFINITY);
    int cd = train.conditions()[0].length;
    double[] sum = new double[cd];
    double[] sq = new double[cd];
    for (int n = 0; n < train.size(); n++) {
      float[] a = train.actions()[n];
      for (int i = 0; i < a.length; i++) {
        lo[i % 3] = Math.min(lo[i % 3], a[i]);
        hi[i % 3] = Math.max(hi[i % 3], a[i]);
      }
      for (int i = 0; i < cd; i++) {
        sum[i] += train.conditions()[n][i];
        sq[i] += (double) train.conditions()[n][i] * train.conditions()[n][i];
      }
    }
    float[] mean = new float[cd];
    float[] std = new float[cd];
    for (int i = 0; i < cd; i++) {
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

  /** Condition components per sample. */
  public int conditionDim() {
    return conditionMean.length;
  }

  /**
   * A condition standardised.
   *
   * @throws IllegalArgumentException if its length is not {@link #conditionDim()}
   */
  public float[] normalizeCondition(float[] c) {
    if (c.length != conditionMean.length) {
      throw new IllegalArgumentException("condition has length " + c.length + ", expected " + conditionMean.length);
    }
    float[] out = new float[c.length];
    for (int i = 0; i < c.length; i++) {
      out[i] = (c[i] - conditionMean[i]) / conditionStd[i];
    }
    return out;
  }
}
