package org.prunekit.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Pareto front on hand-made points (cost lower is better, value higher is better). */
class ParetoFrontTest {
  private static ParetoFront.Point p(String l, double cost, double value) {
    return new ParetoFront.Point(l, cost, value);
  }

  @Test
  void frontOfHandMadePoints() {
    // a(1, 50) b(2, 70) c(3, 65) dominated by b; d(4, 90) e(4, 80) dominated by d (same cost, lower value);
    // f(5, 90) dominated by d (same value, higher cost); g(6, 95)
    List<ParetoFront.Point> pts = List.of(p("c", 3, 65), p("a", 1, 50), p("e", 4, 80), p("b", 2, 70),
        p("f", 5, 90), p("d", 4, 90), p("g", 6, 95));
    List<String> front = ParetoFront.of(pts).stream().map(ParetoFront.Point::label).toList();
    assertEquals(List.of("a", "b", "d", "g"), front);
  }

  @Test
  void dominanceIsStrictInOneCoordinate() {
    assertTrue(ParetoFront.dominates(p("x", 1, 5), p("y", 2, 5)));
    assertTrue(ParetoFront.dominates(p("x", 1, 6), p("y", 1, 5)));
    assertFalse(ParetoFront.dominates(p("x", 1, 5), p("y", 1, 5)));
    assertFalse(ParetoFront.dominates(p("x", 1, 4), p("y", 2, 5)));
  }

  @Test
  void duplicatesStayAndSinglePointIsItsOwnFront() {
    List<ParetoFront.Point> front = ParetoFront.of(List.of(p("x", 1, 5), p("y", 1, 5), p("z", 2, 4)));
    assertEquals(List.of("x", "y"), front.stream().map(ParetoFront.Point::label).toList());
    assertEquals(1, ParetoFront.of(List.of(p("only", 3, 3))).size());
    assertTrue(ParetoFront.of(List.of()).isEmpty());
  }

  @Test
  void nanIsRejectedWithTheLabel() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p("bad", Double.NaN, 1));
    assertTrue(e.getMessage().contains("bad"), e.getMessage());
  }
}
