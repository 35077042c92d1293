package org.prunekit.dynamic.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeepRuleTest {
  @Test
  void keepCountsRoundHalfUpWithAtLeastOne() {
    assertEquals(25, KeepRule.keepCount(49, 0.5)); // 24.5 -> 25
    assertEquals(37, KeepRule.keepCount(49, 0.75)); // 36.75 -> 37
    assertEquals(49, KeepRule.keepCount(49, 1.0));
    assertEquals(3, KeepRule.keepCount(10, 0.25)); // 2.5 -> 3
    assertEquals(2, KeepRule.keepCount(10, 0.24)); // 2.4 -> 2
    assertEquals(1, KeepRule.keepCount(49, 0.001)); // 0.049 -> 0 -> at least 1
  }

  @Test
  void ratioOutsideRangeIsRejectedWithValue() {
    for (double r : new double[] {0, -0.1, 1.0001, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeepRule.keepCount(10, r));
      assertTrue(e.getMessage().contains("(0, 1]") && e.getMessage().contains(String.valueOf(r)), e.getMessage());
    }
  }

  @Test
  void selectKeepsTopScoresInOrderAndProtectedTokens() {
    // token 0 protected (lowest score), then 1.0 3.0 2.0 0.5 5.0 -> top 2 unprotected = tokens 5, 2
    float[] s = {-9f, 1f, 3f, 2f, 0.5f, 5f};
    boolean[] p = {true, false, false, false, false, false};
    assertArrayEquals(new int[] {0, 2, 5}, KeepRule.select(s, p, 2));
    boolean[] p2 = {true, false, false, false, true, false}; // text token 4 protected too
    assertArrayEquals(new int[] {0, 2, 4, 5}, KeepRule.select(s, p2, 2));
  }

  @Test
  void tiesGoToTheLowerIndex() {
    float[] s = {1f, 2f, 2f, 2f};
    assertArrayEquals(new int[] {1, 2}, KeepRule.select(s, new boolean[4], 2));
  }

  @Test
  void nonFiniteScoreIsAnErrorNamingTheToken() {
    float[] s = {1f, Float.NaN, 2f};
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> KeepRule.select(s, new boolean[3], 1));
    assertTrue(e.getMessage().contains("token 1"), e.getMessage());
  }
}
