package org.prunekit.dynamic.probeflow;

import java.util.SplittableRandom;

/** Start noise for flow-matching decoders. */
public final class Noise {
  private Noise() {}

  /**
   * Uniform noise in [-1, 1), as the ProbeFlow code draws it (not Gaussian).
   *
   * @param batch samples
   * @param dim values per sample
   * @param rng the generator (seed it for paired comparisons: the same {@code x0} for every solver)
   */
  public static float[][] uniform(int batch, int dim, SplittableRandom rng) {
    if (batch < 1 || dim < 1) {
      throw new IllegalArgumentException("noise needs batch >= 1 and dim >= 1, got " + batch + " x " + dim);
    }
    float[][] x = new float[batch][dim];
    for (float[] row : x) {
      for (int i = 0; i < dim; i++) {
        row[i] = (float) (2 * rng.nextDouble() - 1);
      }
    }
    return x;
  }
}
