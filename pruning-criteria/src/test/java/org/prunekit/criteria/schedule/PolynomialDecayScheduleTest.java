package org.prunekit.criteria.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Spec B6 with hand-computed values. */
class PolynomialDecayScheduleTest {
  /** s_i = 0, s_f = 0.9, t0 = 0, n = 10, dt = 100. */
  private static final PolynomialDecaySchedule SPEC = PolynomialDecaySchedule.cubic(0, 0.9, 0, 1000, 100);

  @Test
  void specValues() {
    // s_t = 0.9 + (0 - 0.9) * (1 - t/1000)^3
    assertEquals(0.0, SPEC.sparsityAt(0), 1e-15);
    assertEquals(0.2439, SPEC.sparsityAt(100), 1e-4); // 0.9 * (1 - 0.729)
    assertEquals(0.9 * (1 - 0.729), SPEC.sparsityAt(100), 1e-12);
    assertEquals(0.5203, SPEC.sparsityAt(250), 1e-4); // 0.9 * (1 - 0.421875)
    assertEquals(0.7875, SPEC.sparsityAt(500), 1e-12); // 0.9 * (1 - 0.125)
    assertEquals(0.9, SPEC.sparsityAt(1000), 1e-15);
    assertEquals(0.9, SPEC.sparsityAt(5000), 1e-15);
    assertEquals(3.0, SPEC.power());
  }

  @Test
  void monotoneAndConstantBetweenUpdates() {
    double prev = -1;
    for (long t = -50; t <= 1200; t++) {
      double s = SPEC.targetAt(t);
      assertTrue(s >= prev, "step " + t);
      assertTrue(SPEC.sparsityAt(t) >= SPEC.sparsityAt(t - 1), "formula at " + t);
      prev = s;
    }
    assertEquals(SPEC.sparsityAt(100), SPEC.targetAt(150), 0);
    assertEquals(SPEC.sparsityAt(200), SPEC.targetAt(299), 0);
    assertEquals(0.0, SPEC.targetAt(-10));
    assertEquals(0.9, SPEC.targetAt(1500), 1e-15);
    assertTrue(SPEC.isUpdateStep(0) && SPEC.isUpdateStep(300) && SPEC.isUpdateStep(1000));
    assertFalse(SPEC.isUpdateStep(250) || SPEC.isUpdateStep(1100) || SPEC.isUpdateStep(-100));
    assertEquals(200, SPEC.lastUpdateStep(299));
    assertEquals(-1, SPEC.lastUpdateStep(-1));
  }

  @Test
  void offsetBeginAndUnalignedEnd() {
    // begin 50, end 400, every 100 steps: updates at 50, 150, 250, 350; the last one is before the end
    PolynomialDecaySchedule s = new PolynomialDecaySchedule(0.1, 0.8, 50, 400, 100, 2);
    assertEquals(0.1, s.sparsityAt(10), 1e-15);
    assertEquals(0.1, s.targetAt(49), 1e-15);
    // at 150: p = 100/350, s = 0.8 - 0.7 * (1 - 2/7)^2 = 0.8 - 0.7 * 25/49
    assertEquals(0.8 - 0.7 * 25.0 / 49, s.sparsityAt(150), 1e-12);
    assertEquals(s.sparsityAt(350), s.targetAt(10_000), 0);
    assertTrue(s.targetAt(10_000) < 0.8);
    assertFalse(s.isUpdateStep(400));
  }

  @Test
  void invalidParametersAreNamed() {
    String[][] cases = {
        {"initialSparsity", "-0.1"}, {"finalSparsity", "0.05"}, {"finalSparsity", "1.0"}, {"beginStep", "-1"},
        {"endStep", "10"}, {"frequency", "0"}, {"power", "0.0"}};
    Runnable[] makers = {
        () -> PolynomialDecaySchedule.cubic(-0.1, 0.5, 0, 10, 1),
        () -> PolynomialDecaySchedule.cubic(0.1, 0.05, 0, 10, 1),
        () -> PolynomialDecaySchedule.cubic(0, 1.0, 0, 10, 1),
        () -> PolynomialDecaySchedule.cubic(0, 0.5, -1, 10, 1),
        () -> PolynomialDecaySchedule.cubic(0, 0.5, 10, 10, 1),
        () -> PolynomialDecaySchedule.cubic(0, 0.5, 0, 10, 0),
        () -> new PolynomialDecaySchedule(0, 0.5, 0, 10, 1, 0)};
    for (int i = 0; i < cases.length; i++) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, makers[i]::run, cases[i][0]);
      assertTrue(e.getMessage().contains(cases[i][0]) && e.getMessage().contains(cases[i][1]), e.getMessage());
    }
  }

  @Test
  void initialSparsityIsExactAtTheBeginStep() {
    // bug: 0.9 + (0.1 - 0.9) * 1 = 0.09999999999999998, so floor(s * 10) pruned 0 instead of 1 weight
    PolynomialDecaySchedule s = PolynomialDecaySchedule.cubic(0.1, 0.9, 0, 100, 10);
    assertEquals(0.1, s.sparsityAt(0), 0.0);
    assertEquals(1, (int) Math.floor(s.sparsityAt(0) * 10));
    assertEquals(0.9, s.sparsityAt(100), 0.0);
  }
}
