package org.prunekit.dynamic.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.Tensor;

class ThresholdCalibrationTest {
  /** Two-class logits [0, z]: p_max = 1 / (1 + e^-z) for z > 0. */
  private static Tensor logits(float... z) {
    float[] d = new float[z.length * 2];
    for (int i = 0; i < z.length; i++) {
      d[2 * i + 1] = z[i];
    }
    return Tensor.of(d, z.length, 2);
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  // Light always predicts class 1 with confidence z = 0.5, 1, 2, 3 (p = .622, .731, .881, .953).
  // Labels 0, 1, 0, 1 -> light right on inputs 1 and 3 (50%). Heavy predicts the label except on
  // input 3 (75%). Risk order (ascending p): 0, 1, 2, 3.
  // k=0: right {1,3} = 2; k=1: heavy right on 0 -> 3; k=2: heavy right on 1 -> 3; k=3: heavy right on 2 -> 4;
  // k=4: heavy wrong on 3 -> 3. Dense has 3 right, so the smallest k reaching 3 is k = 1.
  private static final Tensor LIGHT = logits(0.5f, 1f, 2f, 3f);
  private static final Tensor HEAVY = Tensor.of(new float[] {1, 0, 0, 1, 1, 0, 1, 0}, 4, 2);
  private static final int[] LABELS = {0, 1, 0, 1};

  @Test
  void smallestCostThatKeepsDenseAccuracy() {
    ThresholdCalibration c = ThresholdCalibration.search(ConfidencePrior.MAX_SOFTMAX, LIGHT, HEAVY, LABELS, 0.4, 0);
    assertEquals(1, c.escalated());
    assertEquals((sigmoid(0.5) + sigmoid(1)) / 2, c.threshold(), 1e-6);
    assertEquals(0.5, c.lightAccuracy(), 1e-12);
    assertEquals(0.75, c.denseAccuracy(), 1e-12);
    assertEquals(0.75, c.routedAccuracy(), 1e-12);
    assertEquals(0.25, c.heavyUsage(), 1e-12);
    assertEquals(0.4 + 0.25, c.normalisedCost(), 1e-12);
    assertTrue(c.meetsTarget());
  }

  @Test
  void toleranceAllowsCheaperThreshold() {
    // tolerance 0.25: target ceil(4 * 0.5) = 2 right -> k = 0, threshold 0 (nothing escalates)
    ThresholdCalibration c = ThresholdCalibration.search(ConfidencePrior.MAX_SOFTMAX, LIGHT, HEAVY, LABELS, 0.4, 0.25);
    assertEquals(0, c.escalated());
    assertEquals(0.0, c.threshold(), 0);
    assertEquals(0.4, c.normalisedCost(), 1e-12);
  }

  @Test
  void entropyEscalatesHighEntropyFirst() {
    ThresholdCalibration c = ThresholdCalibration.search(ConfidencePrior.ENTROPY, LIGHT, HEAVY, LABELS, 0.4, 0);
    assertEquals(1, c.escalated());
    double h0 = ConfidencePrior.ENTROPY.score(LIGHT.data(), 0, 2);
    double h1 = ConfidencePrior.ENTROPY.score(LIGHT.data(), 1, 2);
    assertEquals((h0 + h1) / 2, c.threshold(), 1e-9);
  }

  @Test
  void tiedPriorsEscalateTogether() {
    // inputs 0 and 1 have the same prior: k = 1 is not a candidate, so k = 2
    Tensor light = logits(1f, 1f, 2f, 3f);
    ThresholdCalibration c = ThresholdCalibration.search(ConfidencePrior.MAX_SOFTMAX, light, HEAVY, LABELS, 0.4, 0);
    assertEquals(2, c.escalated());
    assertEquals((sigmoid(1) + sigmoid(2)) / 2, c.threshold(), 1e-6);
  }

  @Test
  void unreachableTargetIsReported() {
    // every light prior is exactly 1 (z = 1000 saturates): no threshold in [0, 1] escalates anything
    Tensor light = logits(1000f, 1000f, 1000f, 1000f);
    Tensor heavy = Tensor.of(new float[] {1, 0, 0, 1, 1, 0, 0, 1}, 4, 2);
    ThresholdCalibration c = ThresholdCalibration.search(ConfidencePrior.MAX_SOFTMAX, light, heavy, LABELS, 0.4, 0);
    assertFalse(c.meetsTarget());
    assertEquals(0, c.escalated());
    assertEquals(0.5, c.routedAccuracy(), 1e-12);
  }

  @Test
  void everythingEscalatesWhenOnlyTheHeavyExpertIsRight() {
    // light predicts class 1 everywhere; labels all 0; heavy predicts 0 everywhere -> k = n
    Tensor heavy = Tensor.of(new float[] {1, 0, 1, 0, 1, 0, 1, 0}, 4, 2);
    ThresholdCalibration c =
        ThresholdCalibration.search(ConfidencePrior.MAX_SOFTMAX, LIGHT, heavy, new int[4], 0.4, 0);
    assertEquals(4, c.escalated());
    assertEquals((sigmoid(3) + 1) / 2, c.threshold(), 1e-6);
    assertEquals(1.0, c.routedAccuracy(), 0);
    assertEquals(1.4, c.normalisedCost(), 1e-12); // spec 3.3 test 4: all heavy -> c_L + 1
    ThresholdCalibration e = ThresholdCalibration.search(ConfidencePrior.ENTROPY, LIGHT, heavy, new int[4], 0.4, 0);
    assertEquals(4, e.escalated());
    assertEquals(ConfidencePrior.ENTROPY.score(LIGHT.data(), 3, 2) / 2, e.threshold(), 1e-9);
  }

  @Test
  void badInput() {
    assertThrows(IllegalArgumentException.class,
        () -> ThresholdCalibration.search(ConfidencePrior.MAX_SOFTMAX, LIGHT, Tensor.of(new float[12], 4, 3), LABELS,
            0.4, 0));
    assertThrows(IllegalArgumentException.class,
        () -> ThresholdCalibration.search(ConfidencePrior.MAX_SOFTMAX, LIGHT, HEAVY, new int[] {0, 1, 2, 0}, 0.4, 0));
    assertThrows(IllegalArgumentException.class,
        () -> ThresholdCalibration.search(ConfidencePrior.MAX_SOFTMAX, LIGHT, HEAVY, LABELS, 0.4, -0.1));
    Tensor nan = logits(0.5f, Float.NaN, 2f, 3f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ThresholdCalibration.search(ConfidencePrior.MAX_SOFTMAX, nan, HEAVY, LABELS, 0.4, 0));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
  }
}
