package org.prunekit.criteria.gaussian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GaussianSceneTest {
  @Test
  void hiddenGaussiansArePrunedAndDominantOnesKept() {
    SyntheticScenes.Scene s = SyntheticScenes.occluded(40, 6, 7);
    GaussianPruningResult r = GaussianPruning.prune(s.cloud(), s.cameras(), 0.1,
        MaxWeightRenderer.builder().optThreads(2).build());
    float[] w = r.maxWeights().weights();
    for (int h : s.hidden()) {
      assertFalse(r.isKept(h), "hidden Gaussian " + h + " kept with max weight " + w[h]);
      assertTrue(w[h] < 1e-3, "hidden Gaussian " + h + " weight " + w[h]);
    }
    for (int d : s.dominant()) {
      assertTrue(r.isKept(d), "dominant Gaussian " + d + " pruned");
      assertTrue(w[d] > 0.9, "dominant Gaussian " + d + " weight " + w[d]);
    }
    // Without the wall every hidden Gaussian is visible and kept.
    int wall = 2 * 81;
    int n = s.cloud().size();
    int[] noWall = new int[n - wall];
    for (int i = 0; i < noWall.length; i++) {
      noWall[i] = wall + i;
    }
    GaussianPruningResult open = GaussianPruning.prune(s.cloud().select(noWall), s.cameras(), 0.1);
    assertEquals(noWall.length, open.kept());
  }

  @Test
  void threadCountDoesNotChangeWeightsAndInputIsUnchanged() {
    SyntheticScenes.Scene s = SyntheticScenes.random(400, 3, 48, 40, 3);
    Gaussian3d before = s.cloud().get(17);
    MaxWeights one = MaxWeightRenderer.builder().optThreads(1).build().maxWeights(s.cloud(), s.cameras());
    MaxWeights four = MaxWeightRenderer.builder().optThreads(4).optTileSize(8).build()
        .maxWeights(s.cloud(), s.cameras());
    assertArrayEquals(one.weights(), four.weights());
    assertArrayEquals(one.bestView(), four.bestView());
    GaussianPruningResult r = GaussianPruning.prune(s.cloud(), s.cameras(), 0.1);
    assertEquals(400, s.cloud().size());
    assertEquals(before, s.cloud().get(17));
    for (int i = 1; i < r.keptIndices().length; i++) {
      assertTrue(r.keptIndices()[i] > r.keptIndices()[i - 1]);
    }
    for (int i = 0; i < 400; i++) {
      assertEquals(one.weights()[i] > 0.1f, r.isKept(i), "Gaussian " + i);
    }
    assertTrue(r.kept() > 0 && r.removed() > 0, r.report());
  }

  @Test
  void badInputIsRejectedWithClearMessages() {
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> GaussianCloud.fromArrays(
        new double[] {0, 0, 1, 0, 0, 2}, new double[] {1, 0, 0, 1, 0, 1, 1, 0, Double.NaN, 1, 0, 1},
        new double[] {0.5, 0.5}));
    assertTrue(nan.getMessage().contains("Gaussian #1") && nan.getMessage().contains("xz"), nan.getMessage());
    IllegalArgumentException notPd = assertThrows(IllegalArgumentException.class, () -> GaussianCloud.fromArrays(
        new double[] {0, 0, 1}, new double[] {1, 2, 0, 1, 0, 1}, new double[] {0.5}));
    assertTrue(notPd.getMessage().contains("Gaussian #0") && notPd.getMessage().contains("positive definite"),
        notPd.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Gaussian3d.isotropic(0, 0, 1, 0.1, 1.5));
    assertThrows(IllegalArgumentException.class,
        () -> Gaussian3d.fromScaleRotation(new double[3], new double[] {1, -1, 1}, new double[] {1, 0, 0, 0}, 1));
    GaussianCloud ok = GaussianCloud.of(List.of(Gaussian3d.isotropic(0, 0, 1, 0.1, 0.5)));
    List<PinholeCamera> cams = List.of(GaussianPruningTest.axisCamera(1, 1));
    IllegalArgumentException thr = assertThrows(IllegalArgumentException.class,
        () -> GaussianPruning.prune(ok, cams, 1.5));
    assertTrue(thr.getMessage().contains("[0, 1]") && thr.getMessage().contains("1.5"), thr.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GaussianPruning.prune(ok, cams, -0.1));
    assertThrows(IllegalArgumentException.class, () -> GaussianPruning.prune(ok, cams, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> GaussianPruning.prune(ok, List.of(), 0.1));
    assertThrows(IllegalArgumentException.class, () -> new PinholeCamera(4, 4, 10, 10, 0, 0,
        new double[] {2, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]));
    assertThrows(IllegalArgumentException.class, () -> MaxWeightRenderer.builder().optThreads(0).build());
  }
}
