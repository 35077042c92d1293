package org.prunekit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.analysis.federated.AggregationRule;
import org.prunekit.analysis.federated.RoutingStrategy;
import org.prunekit.analysis.federated.SimulationResult;

/** A small federated study on the shipped data learns, and D-FL's models meet the budget. */
class FederatedStudyTest {
  @Test
  void smallStudyLearnsWithinBudget() throws Exception {
    FederatedStudy.Options o = new FederatedStudy.Options(null, 4, 150, 400, 2, 1, 32, 0.05f, 0.25, false,
        AggregationRule.MASKED_MEAN, List.of(RoutingStrategy.DFL, RoutingStrategy.UNPRUNED), 3);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<SimulationResult> res = FederatedStudy.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    SimulationResult dfl = res.get(0);
    assertEquals(RoutingStrategy.DFL, dfl.strategy());
    assertEquals(1.0, dfl.arrivalRate(), out);
    assertTrue(dfl.meanMaxLatency() <= 0.25 + 1e-9, out);
    assertTrue(dfl.meanRetention() > 0 && dfl.meanRetention() <= 1, out);
    assertTrue(dfl.finalAccuracy() > 0.3, "10 classes, chance is 0.1: " + out);
    SimulationResult unpruned = res.get(1);
    assertEquals(1.0, unpruned.meanRetention());
    assertTrue(unpruned.meanMaxLatency() > 0.25, out);
    assertTrue(out.contains("| DFL      |"), out);
  }
}
