package org.prunekit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The ProbeFlow benchmark state sets up (untrained fallback head), decodes and counts, and closes. */
class ProbeFlowBenchmarkStateTest {

  @Test
  void randomHeadDecodesAndCountsEvaluations() throws IOException {
    check("position", "velocity");
    check("position-velocity", "endpoint");
  }

  private static void check(String condition, String parameterization) throws IOException {
    ProbeFlowBenchmark b = new ProbeFlowBenchmark();
    b.head = "random";
    b.trainSteps = 1;
    b.condition = condition;
    b.parameterization = parameterization;
    b.setUp();
    try {
      assertFalse(b.trained());
      ProbeFlowBenchmark.DecodeCounters c = new ProbeFlowBenchmark.DecodeCounters();
      float[][] x = b.euler50(c);
      assertEquals(1, x.length);
      assertEquals(48, x[0].length);
      assertEquals(50, c.nfe);
      assertEquals(50, c.steps);
      c.reset();
      b.probeflow(c);
      assertTrue(c.steps >= 2 && c.steps <= 20 && c.steps % 2 == 0, "steps " + c.steps);
      assertEquals(c.steps == 2 ? 2 : c.steps + 1, c.nfe);
    } finally {
      b.tearDown();
    }
    assertNull(b.policy());
  }
}
