package org.prunekit.criteria.gaussian;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small synthetic Gaussian scenes with known ground truth, for tests, examples and benchmarks.
 */
public final class SyntheticScenes {
  private SyntheticScenes() {}

  /**
   * A scene and its cameras, with the indices of Gaussians known to be hidden (fully occluded in
   * every view) and dominant (unoccluded, nearly opaque, in front).
   *
   * @param cloud the Gaussians
   * @param cameras the views
   * @param hidden indices that no camera can see through the wall
   * @param dominant indices in front of everything in every view
   */
  public record Scene(GaussianCloud cloud, List<PinholeCamera> cameras, int[] hidden, int[] dominant) {
    /** Copies the camera list. */
    public Scene {
      cameras = List.copyOf(cameras);
    }
  }

  /**
   * An opaque wall (two layers of {@code 9 x 9} flat Gaussians at z = 5 and 5.05, opacity 1,
   * covering x, y in [-2, 2]), {@code hiddenCount} small Gaussians behind it (z in [7, 9], x, y in
   * [-1, 1]), a {@code 3 x 3} grid of dominant opaque Gaussians in front (z = 3) and {@code views}
   * cameras near the origin (x, y in [-0.3, 0.3]) looking at (0, 0, 5), 64 x 64 px, 40 degrees.
   * Order in the cloud: wall, hidden, dominant.
   */
  public static Scene occluded(int hiddenCount, int views, long seed) {
    Random rnd = new Random(seed);
    List<Gaussian3d> g = new ArrayList<>();
    for (double z : new double[] {5.0, 5.05}) {
      for (int i = 0; i < 9; i++) {
        for (int j = 0; j < 9; j++) {
          double x = -2 + 0.5 * i;
          double y = -2 + 0.5 * j;
          g.add(new Gaussian3d(new double[] {x, y, z}, new double[] {0.16, 0, 0, 0.16, 0, 0.0004}, 1.0));
        }
      }
    }
    int[] hidden = new int[hiddenCount];
    for (int h = 0; h < hiddenCount; h++) {
      hidden[h] = g.size();
      g.add(Gaussian3d.isotropic(-1 + 2 * rnd.nextDouble(), -1 + 2 * rnd.nextDouble(), 7 + 2 * rnd.nextDouble(),
          0.05, 0.9));
    }
    int[] dominant = new int[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        dominant[3 * i + j] = g.size();
        g.add(Gaussian3d.isotropic(-0.6 + 0.6 * i, -0.6 + 0.6 * j, 3, 0.06, 0.95));
      }
    }
    List<PinholeCamera> cams = new ArrayList<>();
    for (int v = 0; v < views; v++) {
      double[] eye = {-0.3 + 0.6 * rnd.nextDouble(), -0.3 + 0.6 * rnd.nextDouble(), 0};
      cams.add(PinholeCamera.lookAt(eye, new double[] {0, 0, 5}, new double[] {0, -1, 0}, 64, 64, 40));
    }
    return new Scene(GaussianCloud.of(g), cams, hidden, dominant);
  }

  /**
   * {@code n} random anisotropic Gaussians in the box [-1, 1]^3 (scales 0.01 to 0.11, random
   * rotations, opacities uniform in [0, 1]) and {@code views} cameras on a circle of radius 4
   * around the box, looking at its centre, {@code width x height} px, 50 degrees. No ground truth.
   */
  public static Scene random(int n, int views, int width, int height, long seed) {
    Random rnd = new Random(seed);
    List<Gaussian3d> g = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] mean = {2 * rnd.nextDouble() - 1, 2 * rnd.nextDouble() - 1, 2 * rnd.nextDouble() - 1};
      double[] scale = {0.01 + 0.1 * rnd.nextDouble(), 0.01 + 0.1 * rnd.nextDouble(), 0.01 + 0.1 * rnd.nextDouble()};
      double[] q = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      g.add(Gaussian3d.fromScaleRotation(mean, scale, q, rnd.nextDouble()));
    }
    List<PinholeCamera> cams = new ArrayList<>();
    for (int v = 0; v < views; v++) {
      double a = 2 * Math.PI * v / views;
      double[] eye = {4 * Math.cos(a), 0.5, 4 * Math.sin(a)};
      cams.add(PinholeCamera.lookAt(eye, new double[3], new double[] {0, -1, 0}, width, height, 50));
    }
    return new Scene(GaussianCloud.of(g), cams, new int[0], new int[0]);
  }
}
