package org.prunekit.criteria.gaussian;

/**
 * The Gaussians of a cloud projected into one camera (EWA splatting as in 3DGS): pixel-space mean,
 * inverse 2D covariance (conic), camera depth and a pixel bounding box; invisible ones are dropped.
 * Package-private working data of {@link MaxWeightRenderer}.
 */
final class GaussianProjection {
  /** Indices (into the cloud) of visible Gaussians, sorted front to back (depth, then index). */
  final int[] order;
  final double[] u;
  final double[] v;
  final double[] conicA;
  final double[] conicB;
  final double[] conicC;
  final double[] opacity;
  final int[] xMin;
  final int[] xMax;
  final int[] yMin;
  final int[] yMax;

  private GaussianProjection(int n) {
    order = new int[n];
    u = new double[n];
    v = new double[n];
    conicA = new double[n];
    conicB = new double[n];
    conicC = new double[n];
    opacity = new double[n];
    xMin = new int[n];
    xMax = new int[n];
    yMin = new int[n];
    yMax = new int[n];
  }

  /** Number of visible Gaussians. */
  int size() {
    return order.length;
  }

  /**
   * Projects {@code cloud} into {@code cam}: Gaussians with camera depth {@code <= near}, a
   * degenerate 2D covariance or a box outside the image are dropped; the rest are sorted by depth.
   * Entry {@code k} of the arrays belongs to cloud index {@code order[k]}.
   */
  static GaussianProjection project(GaussianCloud cloud, PinholeCamera cam, double near, double dilation,
      double cutoffSigma) {
    int n = cloud.size();
    double[] depth = new double[n];
    double[][] data = new double[n][];
    int visible = 0;
    double[] c = new double[3];
    for (int i = 0; i < n; i++) {
      cam.toCamera(cloud.mean(i, 0), cloud.mean(i, 1), cloud.mean(i, 2), c);
      double z = c[2];
      if (!(z > near)) {
        continue;
      }
      // Camera-space covariance W Sigma W^T with W = R.
      double[][] s = {
        {cloud.cov(i, 0), cloud.cov(i, 1), cloud.cov(i, 2)},
        {cloud.cov(i, 1), cloud.cov(i, 3), cloud.cov(i, 4)},
        {cloud.cov(i, 2), cloud.cov(i, 4), cloud.cov(i, 5)}
      };
      // Jacobian of the perspective projection, composed with W: M = J W (2 x 3).
      double j00 = cam.fx() / z;
      double j02 = -cam.fx() * c[0] / (z * z);
      double j11 = cam.fy() / z;
      double j12 = -cam.fy() * c[1] / (z * z);
      double[][] m = new double[2][3];
      for (int k = 0; k < 3; k++) {
        m[0][k] = j00 * cam.rot(0, k) + j02 * cam.rot(2, k);
        m[1][k] = j11 * cam.rot(1, k) + j12 * cam.rot(2, k);
      }
      double a = quad(m[0], s, m[0]) + dilation;
      double b = quad(m[0], s, m[1]);
      double cc = quad(m[1], s, m[1]) + dilation;
      double det = a * cc - b * b;
      if (!(det > 0)) {
        continue;
      }
      double mid = 0.5 * (a + cc);
      double lambda = mid + Math.sqrt(Math.max(0.1, mid * mid - det));
      double radius = Math.ceil(cutoffSigma * Math.sqrt(lambda));
      double px = cam.fx() * c[0] / z + cam.cx();
      double py = cam.fy() * c[1] / z + cam.cy();
      int x0 = (int) Math.max(0, Math.ceil(px - radius));
      int x1 = (int) Math.min(cam.width() - 1, Math.floor(px + radius));
      int y0 = (int) Math.max(0, Math.ceil(py - radius));
      int y1 = (int) Math.min(cam.height() - 1, Math.floor(py + radius));
      if (x0 > x1 || y0 > y1 || !Double.isFinite(px) || !Double.isFinite(py)) {
        continue;
      }
      depth[i] = z;
      data[i] = new double[] {px, py, cc / det, -b / det, a / det, x0, x1, y0, y1};
      visible++;
    }
    Integer[] idx = new Integer[visible];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (data[i] != null) {
        idx[k++] = i;
      }
    }
    java.util.Arrays.sort(idx, (p, q) -> {
      int cmp = Double.compare(depth[p], depth[q]);
      return cmp != 0 ? cmp : Integer.compare(p, q);
    });
    GaussianProjection out = new GaussianProjection(visible);
    for (k = 0; k < visible; k++) {
      int i = idx[k];
      double[] d = data[i];
      out.order[k] = i;
      out.u[k] = d[0];
      out.v[k] = d[1];
      out.conicA[k] = d[2];
      out.conicB[k] = d[3];
      out.conicC[k] = d[4];
      out.opacity[k] = cloud.opacity(i);
      out.xMin[k] = (int) d[5];
      out.xMax[k] = (int) d[6];
      out.yMin[k] = (int) d[7];
      out.yMax[k] = (int) d[8];
    }
    return out;
  }

  private static double quad(double[] x, double[][] s, double[] y) {
    double r = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        r += x[i] * s[i][j] * y[j];
      }
    }
    return r;
  }
}
