package org.prunekit.criteria.gaussian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GaussianPruningTest {
  private static final double[] ID = {1, 0, 0, 0, 1, 0, 0, 0, 1};

  /** A camera at the origin looking down +z, {@code w x h} pixels, focal 10, principal point 0. */
  static PinholeCamera axisCamera(int w, int h) {
    return new PinholeCamera(w, h, 10, 10, 0, 0, ID, new double[3]);
  }

  static MaxWeightRenderer exact(int threads) {
    return MaxWeightRenderer.builder().optDilation(0).optThreads(threads).build();
  }

  @Test
  void specFourHalfAlphasGiveHalvingWeightsAndFourthIsPruned() {
    // Listed back to front on purpose: the renderer must sort by depth.
    GaussianCloud cloud = GaussianCloud.of(List.of(
        Gaussian3d.isotropic(0, 0, 4, 0.1, 0.5),
        Gaussian3d.isotropic(0, 0, 3, 0.1, 0.5),
        Gaussian3d.isotropic(0, 0, 2, 0.1, 0.5),
        Gaussian3d.isotropic(0, 0, 1, 0.1, 0.5)));
    GaussianPruningResult r = GaussianPruning.prune(cloud, List.of(axisCamera(1, 1)), 0.1, exact(1));
    assertArrayEquals(new float[] {0.0625f, 0.125f, 0.25f, 0.5f}, r.maxWeights().weights(), 1e-7f);
    assertArrayEquals(new int[] {1, 2, 3}, r.keptIndices());
    assertEquals(1, r.removed());
    assertEquals(3, r.apply(cloud).size());
    assertEquals(cloud.get(1), r.apply(cloud).get(0));
  }

  @Test
  void earlyTerminationDropsTheGaussianThatWouldPushTransmittanceBelowLimit() {
    // alpha is clamped to 0.99: T goes 1 -> 0.01 -> 1e-4 (kept, not below) -> 1e-6 (stop).
    GaussianCloud cloud = GaussianCloud.of(List.of(
        Gaussian3d.isotropic(0, 0, 1, 0.1, 1.0),
        Gaussian3d.isotropic(0, 0, 2, 0.1, 1.0),
        Gaussian3d.isotropic(0, 0, 3, 0.1, 1.0)));
    float[] w = exact(1).maxWeights(cloud, axisCamera(1, 1));
    assertEquals(0.99f, w[0], 1e-7f);
    assertEquals((float) (0.99 * (1 - 0.99)), w[1], 1e-7f);
    assertEquals(0f, w[2]);
  }

  @Test
  void projectedFalloffMatchesHandComputedEwaCovariance() {
    // Mean at camera (0.05, 0, 1) -> u = 0.5, between pixels 0 and 1. sigma = 0.1, fx = 10:
    // 2D variance along x = (fx/z)^2 s^2 + (fx X / z^2)^2 s^2 = 1 + 0.0025.
    GaussianCloud cloud = GaussianCloud.of(List.of(Gaussian3d.isotropic(0.05, 0, 1, 0.1, 0.8)));
    float[] w = exact(1).maxWeights(cloud, axisCamera(2, 1));
    assertEquals((float) (0.8 * Math.exp(-0.5 * 0.25 / 1.0025)), w[0], 1e-6f);
  }

  @Test
  void gaussianNeverVisibleHasZeroWeightAndIsPruned() {
    GaussianCloud cloud = GaussianCloud.of(List.of(
        Gaussian3d.isotropic(0, 0, 2, 0.1, 0.9),     // visible
        Gaussian3d.isotropic(0, 0, -2, 0.1, 0.9),    // behind the camera
        Gaussian3d.isotropic(50, 50, 2, 0.1, 0.9),   // outside the image
        Gaussian3d.isotropic(0, 0, 3, 0.1, 0.0)));   // transparent
    GaussianPruningResult r = GaussianPruning.prune(cloud, List.of(axisCamera(4, 4)), 0.1, exact(2));
    float[] w = r.maxWeights().weights();
    assertEquals(0.9f, w[0], 1e-6f);
    assertEquals(0f, w[1]);
    assertEquals(0f, w[2]);
    assertEquals(0f, w[3]);
    assertArrayEquals(new int[] {0}, r.keptIndices());
    assertEquals(3, r.neverVisible());
    assertEquals(-1, r.maxWeights().bestView()[1]);
  }

  @Test
  void maximumIsOverViewsSoAGaussianDominantInOneViewIsKept() {
    // A (z=2) is opaque; B (z=4) sits behind it for the camera at the origin but in front for a
    // camera at z=6 looking back (-z).
    GaussianCloud cloud = GaussianCloud.of(List.of(
        Gaussian3d.isotropic(0, 0, 2, 0.1, 1.0),
        Gaussian3d.isotropic(0, 0, 4, 0.1, 0.6)));
    PinholeCamera front = axisCamera(1, 1);
    // Rotation by 180 degrees about y: camera looks along world -z from (0, 0, 6).
    PinholeCamera back = new PinholeCamera(1, 1, 10, 10, 0, 0, new double[] {-1, 0, 0, 0, 1, 0, 0, 0, -1},
        new double[] {0, 0, 6});
    MaxWeightRenderer r = exact(1);
    float[] onlyFront = r.maxWeights(cloud, front);
    assertEquals((float) (0.6 * 0.01), onlyFront[1], 1e-6f);
    assertArrayEquals(new int[] {0}, GaussianPruning.prune(cloud, List.of(front), 0.1, r).keptIndices());
    GaussianPruningResult both = GaussianPruning.prune(cloud, List.of(front, back), 0.1, r);
    assertArrayEquals(new int[] {0, 1}, both.keptIndices());
    assertEquals(0.6f, both.maxWeights().weights()[1], 1e-6f);
    assertEquals(1, both.maxWeights().bestView()[1]);
    assertEquals(0, both.maxWeights().bestView()[0]);
  }

  @Test
  void lookAtBuildsTheAxisCamera() {
    PinholeCamera c = PinholeCamera.lookAt(new double[] {0, 0, 0}, new double[] {0, 0, 5}, new double[] {0, -1, 0},
        5, 5, 90);
    assertArrayEquals(ID, c.rotation(), 1e-12);
    assertEquals(2.5, c.fx(), 1e-12);
    assertEquals(2.0, c.cx(), 1e-12);
  }

  @Test
  void scaleRotationCovarianceIsRotatedDiagonal() {
    // 90 degrees about z swaps the x and y scales.
    double h = Math.sqrt(0.5);
    Gaussian3d g = Gaussian3d.fromScaleRotation(new double[3], new double[] {1, 2, 3}, new double[] {h, 0, 0, h}, 1);
    assertArrayEquals(new double[] {4, 0, 0, 1, 0, 9}, g.covariance(), 1e-12);
    assertTrue(g.opacity() == 1);
  }
}
