package org.prunekit.analysis.impact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

class InsertionDeletionTest {
  @Test
  void trapezoidOnKnownCurves() {
    // (1+0.5)/2 + (0.5+0)/2 = 1.0 over 2 intervals -> 0.5
    assertEquals(0.5, InsertionDeletion.trapezoidAuc(new double[] {1, 0.5, 0}), 1e-12);
    // (0+1)/2 + 1 + 1 + 1 = 3.5 over 4 -> 0.875
    assertEquals(0.875, InsertionDeletion.trapezoidAuc(new double[] {0, 1, 1, 1, 1}), 1e-12);
    // y = x^2 at 0, .25, .5, .75, 1: trapezoid = (0 + 2*(0.0625+0.25+0.5625) + 1)/8 = 0.34375
    assertEquals(0.34375, InsertionDeletion.trapezoidAuc(new double[] {0, 0.0625, 0.25, 0.5625, 1}), 1e-12);
  }

  @Test
  void orderTiesByLowerIndex() {
    assertArrayEquals(new int[] {1, 3, 0, 2}, InsertionDeletion.order(new float[] {0.5f, 2f, -1f, 2f}));
  }

  /** Spec test (2): a classifier that looks only at patch 2; a perfect attribution. */
  @Test
  void onePatchClassifierPerfectAttribution() {
    int t = 4;
    int p = 3;
    InsertionDeletion.ProbabilityModel onePatch = (patches, targets) -> {
      int n = patches.shape().get(0);
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        float s = 0;
        for (int d = 0; d < p; d++) {
          s += patches.data()[(i * t + 2) * p + d];
        }
        out[i] = s > 1.5f ? 1f : 0f;
      }
      return out;
    };
    Tensor image = Tensor.full(new Shape(t, p), 1f);
    float[] perfect = {0.1f, 0.2f, 5f, 0.3f};
    InsertionDeletion.Curves c = InsertionDeletion.curves(onePatch, image, perfect, 0, 0f);
    assertArrayEquals(new double[] {0, 1, 1, 1, 1}, c.insertion(), 0);
    assertArrayEquals(new double[] {1, 0, 0, 0, 0}, c.deletion(), 0);
    assertEquals(1 - 1.0 / (2 * t), c.insertionAuc(), 1e-12);
    assertEquals(1.0 / (2 * t), c.deletionAuc(), 1e-12);
    // The worst attribution ranks the key patch last.
    InsertionDeletion.Curves worst = InsertionDeletion.curves(onePatch, image, new float[] {3, 2, 0, 1}, 0, 0f);
    assertEquals(1.0 / (2 * t), worst.insertionAuc(), 1e-12);
    assertEquals(1 - 1.0 / (2 * t), worst.deletionAuc(), 1e-12);
  }

  @Test
  void badInput() {
    assertThrows(IllegalArgumentException.class, () -> InsertionDeletion.trapezoidAuc(new double[] {1}));
    assertThrows(IllegalArgumentException.class, () -> InsertionDeletion.trapezoidAuc(new double[] {1, Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> InsertionDeletion.order(new float[] {1, Float.NaN}));
    Tensor image = Tensor.full(new Shape(2, 2), 1f);
    assertThrows(IllegalArgumentException.class,
        () -> InsertionDeletion.curves((x, y) -> new float[0], image, new float[] {1, 2, 3}, 0, 0f));
  }
}
