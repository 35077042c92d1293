package org.prunekit.analysis.simcert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Spec §3.7 test 1: 100 inputs on [0,1], upper form 0.1 Σ x_i, δ' = 0.05. */
class BernsteinTest {
  private static final InputBox BOX = InputBox.uniform(100, 0, 1);

  private static double[] form() {
    double[] f = new double[101];
    Arrays.fill(f, 0, 100, 0.1);
    return f;
  }

  @Test
  void handExampleFromTheSpec() {
    double[] c = form();
    assertEquals(5.0, Bernstein.mean(c, BOX), 1e-12);
    // M = 0.1 * 1/2, V = 100 * 0.01 / 12
    assertEquals(0.7583, Bernstein.deviation(0.05, 100 * 0.01 / 12.0, 0.05), 5e-5);
    assertEquals(0.7583, Bernstein.deviation(c, BOX, 0.05), 5e-5);
    assertEquals(5.758, Bernstein.upperBound(c, BOX, 0.05), 5e-4);
    assertEquals(6.224, 5 + Bernstein.hoeffdingDeviation(c, BOX, 0.05), 5e-4);
  }

  @Test
  void closedFormSolvesTheBernsteinTail() {
    double m = 0.3;
    double v = 2.5;
    double dp = 1e-3;
    double t = Bernstein.deviation(m, v, dp);
    assertEquals(dp, Math.exp(-t * t / (2 * v + 2 * m * t / 3)), 1e-12);
    assertEquals(0.0, Bernstein.deviation(0, 0, dp), 0.0);
  }

  @Test
  void rejectsBadTails() {
    assertThrows(IllegalArgumentException.class, () -> Bernstein.deviation(1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> Bernstein.deviation(1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> Bernstein.deviation(-1, 1, 0.5));
  }
}
