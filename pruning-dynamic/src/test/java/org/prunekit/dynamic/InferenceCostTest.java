package org.prunekit.dynamic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceCostTest {
  @Test
  void plusSumsFiguresAndCounters() {
    InferenceCost a = InferenceCost.of(100, 400, 1).withCounter("tokensKept", 8);
    InferenceCost b = InferenceCost.of(50, 100, 2).withCounter("tokensKept", 4).withCounter("skipped", 1);
    InferenceCost s = a.plus(b);
    assertEquals(150, s.macs());
    assertEquals(500, s.memoryAccessBytes());
    assertEquals(3, s.networkEvaluations());
    assertEquals(Map.of("tokensKept", 12.0, "skipped", 1.0), s.counters());
    assertEquals(0.25, InferenceCost.of(75, 0, 1).macSavingVs(InferenceCost.of(100, 0, 1)), 1e-12);
  }

  @Test
  void meterReportsMeans() {
    CostMeter m = new CostMeter();
    m.record(InferenceCost.of(10, 20, 3).withCounter("steps", 3));
    m.record(InferenceCost.of(30, 40, 1).withCounter("steps", 1));
    assertEquals(2, m.inputs());
    assertEquals(20.0, m.meanMacs(), 1e-12);
    assertEquals(30.0, m.meanMemoryAccessBytes(), 1e-12);
    assertEquals(2.0, m.meanNetworkEvaluations(), 1e-12);
    assertEquals(2.0, m.meanCounters().get("steps"), 1e-12);
  }

  @Test
  void rejectsNegativeAndNonFinite() {
    assertThrows(IllegalArgumentException.class, () -> InferenceCost.of(-1, 0, 0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InferenceCost.ZERO.withCounter("x", Double.NaN));
    assertEquals("counter 'x' is not finite: NaN", e.getMessage());
  }

  @Test
  void unknownControllerNamesTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Controllers.byName("no-such"));
    assertEquals(true, e.getMessage().startsWith("unknown controller 'no-such'"));
  }
}
