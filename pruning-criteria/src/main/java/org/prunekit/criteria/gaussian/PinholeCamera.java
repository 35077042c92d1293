package org.prunekit.criteria.gaussian;

import java.util.Arrays;

/**
 * A pinhole camera in the OpenCV convention (camera x right, y down, z forward): world point
 * {@code p} maps to camera point {@code c = R p + t} and to pixel {@code u = fx c.x / c.z + cx},
 * {@code v = fy c.y / c.z + cy}. Pixel {@code (x, y)} is sampled at exactly {@code (x, y)}, as in
 * the 3DGS rasteriser.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param fx focal length in pixels along x
 * @param fy focal length in pixels along y
 * @param cx principal point x
 * @param cy principal point y
 * @param rotation world-to-camera rotation, 9 values row-major (orthonormal, det +1)
 * @param translation world-to-camera translation, 3 values
 */
public record PinholeCamera(int width, int height, double fx, double fy, double cx, double cy,
    double[] rotation, double[] translation) {
  /** Validates and copies. */
  public PinholeCamera {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("camera size must be positive, got " + width + "x" + height);
    }
    if (!(fx > 0) || !(fy > 0) || !Double.isFinite(fx) || !Double.isFinite(fy)
        || !Double.isFinite(cx) || !Double.isFinite(cy)) {
      throw new IllegalArgumentException("camera intrinsics must be finite with positive focal lengths, got fx="
          + fx + " fy=" + fy + " cx=" + cx + " cy=" + cy);
    }
    if (rotation == null || rotation.length != 9 || translation == null || translation.length != 3) {
      throw new IllegalArgumentException("camera rotation needs 9 values and translation 3");
    }
    rotation = rotation.clone();
    translation = translation.clone();
    for (double v : rotation) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("camera rotation is not finite: " + Arrays.toString(rotation));
      }
    }
    for (double v : translation) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("camera translation is not finite: " + Arrays.toString(translation));
      }
    }
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double dot = 0;
        for (int k = 0; k < 3; k++) {
          dot += rotation[3 * i + k] * rotation[3 * j + k];
        }
        if (Math.abs(dot - (i == j ? 1 : 0)) > 1e-6) {
          throw new IllegalArgumentException("camera rotation is not orthonormal (row " + i + " . row " + j
              + " = " + dot + "): " + Arrays.toString(rotation));
        }
      }
    }
  }

  /**
   * A camera at {@code eye} looking at {@code target}, with {@code up} roughly the world up
   * direction (image y points along {@code -up}), vertical field of view {@code fovYDegrees} and
   * the principal point at the image centre {@code ((width-1)/2, (height-1)/2)}.
   */
  public static PinholeCamera lookAt(double[] eye, double[] target, double[] up, int width, int height,
      double fovYDegrees) {
    double[] f = normalize(sub(target, eye), "target - eye");
    double[] r = normalize(cross(f, up), "forward x up");
    double[] d = cross(f, r); // image y (down)
    double[] rot = {r[0], r[1], r[2], d[0], d[1], d[2], f[0], f[1], f[2]};
    double[] t = new double[3];
    for (int i = 0; i < 3; i++) {
      t[i] = -(rot[3 * i] * eye[0] + rot[3 * i + 1] * eye[1] + rot[3 * i + 2] * eye[2]);
    }
    double focal = 0.5 * height / Math.tan(Math.toRadians(fovYDegrees) / 2);
    return new PinholeCamera(width, height, focal, focal, (width - 1) / 2.0, (height - 1) / 2.0, rot, t);
  }

  /** A copy of the rotation (row-major). */
  @Override
  public double[] rotation() {
    return rotation.clone();
  }

  /** A copy of the translation. */
  @Override
  public double[] translation() {
    return translation.clone();
  }

  /** Camera-space coordinates of world point {@code (x, y, z)} written to {@code out}. */
  void toCamera(double x, double y, double z, double[] out) {
    for (int i = 0; i < 3; i++) {
      out[i] = rotation[3 * i] * x + rotation[3 * i + 1] * y + rotation[3 * i + 2] * z + translation[i];
    }
  }

  double rot(int i, int j) {
    return rotation[3 * i + j];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PinholeCamera c && width == c.width && height == c.height && fx == c.fx && fy == c.fy
        && cx == c.cx && cy == c.cy && Arrays.equals(rotation, c.rotation) && Arrays.equals(translation, c.translation);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new double[] {width, height, fx, fy, cx, cy}) * 31 + Arrays.hashCode(rotation) * 7
        + Arrays.hashCode(translation);
  }

  @Override
  public String toString() {
    return "PinholeCamera[" + width + "x" + height + ", fx=" + fx + ", fy=" + fy + ", cx=" + cx + ", cy=" + cy
        + ", R=" + Arrays.toString(rotation) + ", t=" + Arrays.toString(translation) + "]";
  }

  private static double[] sub(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  }

  private static double[] cross(double[] a, double[] b) {
    return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  }

  private static double[] normalize(double[] v, String what) {
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (!(n > 1e-12) || !Double.isFinite(n)) {
      throw new IllegalArgumentException("cannot build a camera: " + what + " has length " + n);
    }
    return new double[] {v[0] / n, v[1] / n, v[2] / n};
  }
}
