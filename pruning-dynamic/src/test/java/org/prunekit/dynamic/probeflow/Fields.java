package org.prunekit.dynamic.probeflow;


/** Small analytic velocity fields for the tests. */
final class Fields {
  private Fields() {}

  /** {@code v(x, t) = f(x_b, t)} per sample. */
  static VelocityField perSample(int dim, PerSample f) {
    return new VelocityField() {
      @Override
      public int dimension() {
        return dim;
      }

      @Override
      public float[][] velocity(float[][] x, float t, float[][] condition) {
        float[][] v = new float[x.length][];
        for (int b = 0; b < x.length; b++) {
          v[b] = f.apply(b, x[b], t);
        }
        return v;
      }

      @Override
      public long macsPerEvaluation(int batch) {
        return 10L * batch;
      }
    };
  }

  /** The constant field {@code v ≡ c}. */
  static VelocityField constant(float... c) {
    return perSample(c.length, (b, x, t) -> c.clone());
  }

  /** The 2-D rotation {@code v = A x}, {@code A = [[0, -w], [w, 0]]}. */
  static VelocityField rotation(double w) {
    return perSample(2, (b, x, t) -> rotate(w, x));
  }

  static float[] rotate(double w, float[] x) {
    return new float[] {(float) (-w * x[1]), (float) (w * x[0])};
  }

  /** A per-sample function. */
  interface PerSample {
    float[] apply(int sample, float[] x, float t);
  }
}
