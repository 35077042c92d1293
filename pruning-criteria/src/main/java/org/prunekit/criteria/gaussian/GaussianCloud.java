package org.prunekit.criteria.gaussian;

import java.util.List;
import java.util.Objects;

/**
 * An immutable scene of {@code N} validated 3D Gaussians stored as flat arrays (means {@code N x 3},
 * covariances {@code N x 6} as {@code [xx, xy, xz, yy, yz, zz]}, opacities {@code N}).
 *
 * <p>Build it from {@link Gaussian3d} records ({@link #of}) or from flat arrays ({@link
 * #fromArrays}); both validate every Gaussian and name the index of the first bad one.
 */
public final class GaussianCloud {
  private final double[] means;
  private final double[] covariances;
  private final double[] opacities;

  private GaussianCloud(double[] means, double[] covariances, double[] opacities) {
    this.means = means;
    this.covariances = covariances;
    this.opacities = opacities;
  }

  /** A cloud of the given Gaussians, in list order (index {@code i} = list position). */
  public static GaussianCloud of(List<Gaussian3d> gaussians) {
    Objects.requireNonNull(gaussians, "gaussians");
    int n = gaussians.size();
    double[] m = new double[3 * n];
    double[] c = new double[6 * n];
    double[] o = new double[n];
    for (int i = 0; i < n; i++) {
      Gaussian3d g = gaussians.get(i);
      if (g == null) {
        throw new IllegalArgumentException("Gaussian #" + i + " is null");
      }
      System.arraycopy(g.mean(), 0, m, 3 * i, 3);
      System.arraycopy(g.covariance(), 0, c, 6 * i, 6);
      o[i] = g.opacity();
    }
    return new GaussianCloud(m, c, o);
  }

  /**
   * A cloud from flat arrays (copied).
   *
   * @throws IllegalArgumentException for inconsistent lengths or, naming the index, a Gaussian
   *     with a non-finite value, an opacity outside [0, 1] or a covariance that is not positive
   *     definite
   */
  public static GaussianCloud fromArrays(double[] means, double[] covariances, double[] opacities) {
    Objects.requireNonNull(means, "means");
    Objects.requireNonNull(covariances, "covariances");
    Objects.requireNonNull(opacities, "opacities");
    int n = opacities.length;
    if (means.length != 3 * n || covariances.length != 6 * n) {
      throw new IllegalArgumentException("for " + n + " opacities expected " + 3 * n + " mean and " + 6 * n
          + " covariance values, got " + means.length + " and " + covariances.length);
    }
    for (int i = 0; i < n; i++) {
      try {
        new Gaussian3d(java.util.Arrays.copyOfRange(means, 3 * i, 3 * i + 3),
            java.util.Arrays.copyOfRange(covariances, 6 * i, 6 * i + 6), opacities[i]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Gaussian #" + i + ": " + e.getMessage(), e);
      }
    }
    return new GaussianCloud(means.clone(), covariances.clone(), opacities.clone());
  }

  /** Number of Gaussians. */
  public int size() {
    return opacities.length;
  }

  /** Gaussian {@code i} as a record. */
  public Gaussian3d get(int i) {
    Objects.checkIndex(i, size());
    return new Gaussian3d(java.util.Arrays.copyOfRange(means, 3 * i, 3 * i + 3),
        java.util.Arrays.copyOfRange(covariances, 6 * i, 6 * i + 6), opacities[i]);
  }

  /** A new cloud of the Gaussians at {@code indices}, in that order (the input is unchanged). */
  public GaussianCloud select(int[] indices) {
    int k = indices.length;
    double[] m = new double[3 * k];
    double[] c = new double[6 * k];
    double[] o = new double[k];
    for (int j = 0; j < k; j++) {
      int i = Objects.checkIndex(indices[j], size());
      System.arraycopy(means, 3 * i, m, 3 * j, 3);
      System.arraycopy(covariances, 6 * i, c, 6 * j, 6);
      o[j] = opacities[i];
    }
    return new GaussianCloud(m, c, o);
  }

  double mean(int i, int axis) {
    return means[3 * i + axis];
  }

  double cov(int i, int entry) {
    return covariances[6 * i + entry];
  }

  double opacity(int i) {
    return opacities[i];
  }
}
