package org.prunekit.dynamic.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfidencePriorTest {
  // logits [0, ln 3]: softmax [1/4, 3/4]
  private static final float[] ROW = {0f, (float) Math.log(3)};

  @Test
  void maxSoftmaxAndEntropyByHand() {
    assertEquals(0.75, ConfidencePrior.MAX_SOFTMAX.score(ROW, 0, 2), 1e-6);
    double h = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)); // 0.562335...
    assertEquals(h, ConfidencePrior.ENTROPY.score(ROW, 0, 2), 1e-6);
    // second row of a [2, 3] block: uniform logits -> p = 1/3, H = ln 3
    float[] two = {9, 9, 9, 5, 5, 5};
    assertEquals(1.0 / 3, ConfidencePrior.MAX_SOFTMAX.score(two, 1, 3), 1e-12);
    assertEquals(Math.log(3), ConfidencePrior.ENTROPY.score(two, 1, 3), 1e-12);
  }

  @Test
  void escalationDirections() {
    assertTrue(ConfidencePrior.MAX_SOFTMAX.escalates(0.6, 0.75));
    assertFalse(ConfidencePrior.MAX_SOFTMAX.escalates(0.75, 0.75));
    assertTrue(ConfidencePrior.ENTROPY.escalates(0.6, 0.5));
    assertFalse(ConfidencePrior.ENTROPY.escalates(0.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> ConfidencePrior.MAX_SOFTMAX.escalates(Double.NaN, 0.5));
  }

  @Test
  void thresholdRanges() {
    ConfidencePrior.MAX_SOFTMAX.checkThreshold(0, 10);
    ConfidencePrior.MAX_SOFTMAX.checkThreshold(1, 10);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ConfidencePrior.MAX_SOFTMAX.checkThreshold(1.2, 10));
    assertTrue(e.getMessage().contains("1.2") && e.getMessage().contains("[0, 1]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ConfidencePrior.MAX_SOFTMAX.checkThreshold(-0.1, 10));
    assertThrows(IllegalArgumentException.class, () -> ConfidencePrior.MAX_SOFTMAX.checkThreshold(Double.NaN, 10));
    ConfidencePrior.ENTROPY.checkThreshold(Math.log(10), 10);
    e = assertThrows(IllegalArgumentException.class, () -> ConfidencePrior.ENTROPY.checkThreshold(2.5, 10));
    assertTrue(e.getMessage().contains("ln 10"), e.getMessage());
  }

  @Test
  void nanLogitNamesTheRow() {
    float[] bad = {1, 2, 3, Float.NaN};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ConfidencePrior.MAX_SOFTMAX.score(bad, 1, 2));
    assertTrue(e.getMessage().contains("row 1 class 1"), e.getMessage());
  }
}
