package org.prunekit.criteria.gaussian;

import java.util.Arrays;

/**
 * One 3D Gaussian primitive: world-space mean, symmetric covariance and opacity.
 *
 * <p>The covariance is stored as its six distinct entries {@code [xx, xy, xz, yy, yz, zz]}. The
 * compact constructor copies the arrays and rejects non-finite values, an opacity outside
 * {@code [0, 1]} and a covariance that is not positive definite (checked by Sylvester's criterion:
 * all three leading principal minors must be positive).
 *
 * @param mean world position {@code [x, y, z]}
 * @param covariance upper triangle {@code [xx, xy, xz, yy, yz, zz]}
 * @param opacity opacity {@code o} in {@code [0, 1]}
 */
public record Gaussian3d(double[] mean, double[] covariance, double opacity) {
  /** Validates and copies. */
  public Gaussian3d {
    if (mean == null || mean.length != 3) {
      throw new IllegalArgumentException("Gaussian mean must have 3 entries, got "
          + (mean == null ? "null" : mean.length));
    }
    if (covariance == null || covariance.length != 6) {
      throw new IllegalArgumentException("Gaussian covariance must have 6 entries [xx, xy, xz, yy, yz, zz], got "
          + (covariance == null ? "null" : covariance.length));
    }
    mean = mean.clone();
    covariance = covariance.clone();
    for (int i = 0; i < 3; i++) {
      if (!Double.isFinite(mean[i])) {
        throw new IllegalArgumentException("Gaussian mean[" + i + "] is not finite: " + mean[i]);
      }
    }
    for (int i = 0; i < 6; i++) {
      if (!Double.isFinite(covariance[i])) {
        throw new IllegalArgumentException("Gaussian covariance entry " + COV_NAMES[i] + " is not finite: "
            + covariance[i]);
      }
    }
    if (!(opacity >= 0 && opacity <= 1)) {
      throw new IllegalArgumentException("Gaussian opacity must be in [0, 1], got " + opacity);
    }
    double xx = covariance[0];
    double xy = covariance[1];
    double xz = covariance[2];
    double yy = covariance[3];
    double yz = covariance[4];
    double zz = covariance[5];
    double m2 = xx * yy - xy * xy;
    double det = xx * (yy * zz - yz * yz) - xy * (xy * zz - yz * xz) + xz * (xy * yz - yy * xz);
    if (!(xx > 0 && m2 > 0 && det > 0)) {
      throw new IllegalArgumentException("Gaussian covariance is not positive definite (leading minors "
          + xx + ", " + m2 + ", " + det + "): " + Arrays.toString(covariance));
    }
  }

  private static final String[] COV_NAMES = {"xx", "xy", "xz", "yy", "yz", "zz"};

  /** An isotropic Gaussian with standard deviation {@code sigma} on every axis. */
  public static Gaussian3d isotropic(double x, double y, double z, double sigma, double opacity) {
    double v = sigma * sigma;
    return new Gaussian3d(new double[] {x, y, z}, new double[] {v, 0, 0, v, 0, v}, opacity);
  }

  /**
   * The 3DGS parameterisation: {@code Sigma = R S S^T R^T} with {@code S = diag(scale)} and
   * {@code R} the rotation of the unit quaternion {@code q = [w, x, y, z]} (normalised here).
   *
   * @throws IllegalArgumentException for a non-positive or non-finite scale, a zero or non-finite
   *     quaternion, or anything the record rejects
   */
  public static Gaussian3d fromScaleRotation(double[] mean, double[] scale, double[] quaternion, double opacity) {
    if (scale == null || scale.length != 3 || quaternion == null || quaternion.length != 4) {
      throw new IllegalArgumentException("scale needs 3 entries and quaternion 4 [w, x, y, z]");
    }
    for (int i = 0; i < 3; i++) {
      if (!(scale[i] > 0) || !Double.isFinite(scale[i])) {
        throw new IllegalArgumentException("Gaussian scale[" + i + "] must be positive and finite, got " + scale[i]);
      }
    }
    double n = Math.sqrt(quaternion[0] * quaternion[0] + quaternion[1] * quaternion[1]
        + quaternion[2] * quaternion[2] + quaternion[3] * quaternion[3]);
    if (!(n > 0) || !Double.isFinite(n)) {
      throw new IllegalArgumentException("Gaussian rotation quaternion must be non-zero and finite: "
          + Arrays.toString(quaternion));
    }
    double w = quaternion[0] / n;
    double x = quaternion[1] / n;
    double y = quaternion[2] / n;
    double z = quaternion[3] / n;
    double[][] r = {
      {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
      {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
      {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}
    };
    double[][] c = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += r[i][k] * scale[k] * scale[k] * r[j][k];
        }
        c[i][j] = s;
      }
    }
    return new Gaussian3d(mean, new double[] {c[0][0], c[0][1], c[0][2], c[1][1], c[1][2], c[2][2]}, opacity);
  }

  /** A copy of the mean. */
  @Override
  public double[] mean() {
    return mean.clone();
  }

  /** A copy of the covariance entries {@code [xx, xy, xz, yy, yz, zz]}. */
  @Override
  public double[] covariance() {
    return covariance.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Gaussian3d g && Arrays.equals(mean, g.mean) && Arrays.equals(covariance, g.covariance)
        && Double.compare(opacity, g.opacity) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(mean) + Arrays.hashCode(covariance)) + Double.hashCode(opacity);
  }

  @Override
  public String toString() {
    return "Gaussian3d[mean=" + Arrays.toString(mean) + ", covariance=" + Arrays.toString(covariance)
        + ", opacity=" + opacity + "]";
  }
}
