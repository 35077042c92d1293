package org.prunekit.analysis.impact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SelectivityTest {
  @Test
  void indexOfHandComputedMeans() {
    // max 3, rest mean (1+1+1)/3 = 1: (3-1)/(3+1) = 0.5
    assertEquals(0.5, Selectivity.index(new double[] {1, 3, 1, 1}), 1e-12);
    // uniform: 0
    assertEquals(0.0, Selectivity.index(new double[] {2, 2, 2}), 1e-12);
    // one class only: 1
    assertEquals(1.0, Selectivity.index(new double[] {0, 0, 5}), 1e-12);
    // negative means clamp to 0: max 2, rest (0 + 0)/2 -> 1
    assertEquals(1.0, Selectivity.index(new double[] {2, -1, -0.5}), 1e-12);
    // max 4, rest (2 + 0)/2 = 1: 3/5
    assertEquals(0.6, Selectivity.index(new double[] {4, 2, -3}), 1e-12);
    assertTrue(Double.isNaN(Selectivity.index(new double[] {0, -1})));
  }

  @Test
  void layerFromActivations() {
    // 4 images, 2 neurons, 2 classes; labels 0,0,1,1
    // neuron 0: class means (1+3)/2 = 2 and (0+0)/2 = 0 -> 1
    // neuron 1: class means (1+1)/2 = 1 and (3+1)/2 = 2 -> (2-1)/(2+1) = 1/3
    float[] acts = {1, 1, 3, 1, 0, 3, 0, 1};
    NeuronSelectivity.LayerSelectivity s = NeuronSelectivity.fromActivations("fc", acts, new int[] {0, 0, 1, 1}, 2);
    assertEquals(1.0, s.indices()[0], 1e-12);
    assertEquals(1.0 / 3, s.indices()[1], 1e-12);
    assertEquals((1.0 + 1.0 / 3) / 2, s.mean(), 1e-12);
    assertEquals((1.0 + 1.0 / 3) / 2, s.median(), 1e-12);
    assertEquals(0, s.undefined());
  }

  @Test
  void badInput() {
    assertThrows(IllegalArgumentException.class, () -> Selectivity.index(new double[] {1}));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Selectivity.index(new double[] {1, Double.NaN}));
    assertTrue(e.getMessage().contains("class 1"), e.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> NeuronSelectivity.fromActivations("fc", new float[] {1, 2}, new int[] {0, 0}, 2));
    assertTrue(missing.getMessage().contains("class 1 has no image"), missing.getMessage());
  }
}
