package org.prunekit.analysis.federated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;

/**
 * Aggregation, pruning and latency accounting on a line a - b - c with a 10-parameter model whose
 * local update writes known values: client k sets entry j (weights then bias) to (k+1)(j+1).
 * Q = 320 bit, every link 320 bit/s (Q/R = 1 s), budget 1.5 s. With aggregator a: link a-b carries
 * both flows, so rho_b = 1.5 / 2 = 0.75 (8 of 10 entries sent) and rho_c = 1.5 / (2 + 1) = 0.5 (5).
 */
class FederatedSimulationTest {
  private static final Graph MODEL = GraphBuilder.create(1).input("x", 4).linear("fc", 2).build();

  private static CommunicationGraph line() {
    return CommunicationGraph.builder().addClients("a", "b", "c")
        .addLink(Link.of("a", "b", 320)).addLink(Link.of("b", "c", 320)).build();
  }

  private static float[] flat(Graph g) {
    float[] out = new float[10];
    int k = 0;
    for (Parameter p : g.parameters()) {
      for (float v : p.value().data()) {
        out[k++] = v;
      }
    }
    return out;
  }

  private static void write(Graph g, int client) {
    int j = 0;
    for (Parameter p : g.parameters()) {
      float[] v = new float[(int) p.numel()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (client + 1) * (++j);
      }
      p.setValue(new Tensor(p.shape(), v));
    }
  }

  private static List<float[]> run(RoutingStrategy s, AggregationRule rule, boolean dropLate, int rounds,
      List<SimulationResult> out) {
    List<float[]> globals = new ArrayList<>();
    FederatedSimulation sim = FederatedSimulation.builder().setGraph(line()).setModel(MODEL)
        .setLocalUpdate((g, c, r) -> write(g, c)).setEvaluator(g -> {
          globals.add(flat(g));
          return flat(g)[0];
        }).setRounds(rounds).setLatencyBudget(1.5).optAggregation(rule).optDropLate(dropLate).build();
    assertEquals(320.0, sim.modelBits());
    out.add(sim.run(s));
    return globals;
  }

  @Test
  void maskedMeanAveragesOnlyTheSentEntries() {
    List<SimulationResult> res = new ArrayList<>();
    float[] g = run(RoutingStrategy.DFL, AggregationRule.MASKED_MEAN, true, 1, res).get(0);
    // entries 0-1: only a; 2-4: a and b; 5-9: a, b and c.
    float[] expected = new float[10];
    for (int j = 0; j < 10; j++) {
      float m = j < 2 ? 1f : j < 5 ? 1.5f : 2f;
      expected[j] = m * (j + 1);
    }
    assertArrayEquals(expected, g, 1e-6f);
    RoundRecord r = res.get(0).rounds().get(0);
    assertEquals("a", r.aggregator());
    assertEquals(2, r.arrived());
    assertEquals((0.75 + 0.5) / 2, r.meanRetention(), 1e-12);
    assertEquals((0.8 + 0.5) / 2, r.meanKeptFraction(), 1e-12);
    assertEquals(1.5, r.maxLatencySeconds(), 1e-12);
    assertEquals(1.0, r.accuracy(), 1e-6);
  }

  @Test
  void zeroFillDividesByAllArrivedModels() {
    float[] g = run(RoutingStrategy.DFL, AggregationRule.ZERO_FILL, true, 1, new ArrayList<>()).get(0);
    for (int j = 0; j < 10; j++) {
      float m = j < 2 ? 1f / 3 : j < 5 ? 1f : 2f;
      assertEquals(m * (j + 1), g[j], 1e-5f, "entry " + j);
    }
  }

  @Test
  void unprunedModelsOverBudgetDoNotArrive() {
    List<SimulationResult> res = new ArrayList<>();
    float[] dropped = run(RoutingStrategy.UNPRUNED, AggregationRule.MASKED_MEAN, true, 1, res).get(0);
    for (int j = 0; j < 10; j++) {
      assertEquals(j + 1, dropped[j], 1e-6f);
    }
    assertEquals(0, res.get(0).rounds().get(0).arrived());
    assertEquals(3.0, res.get(0).rounds().get(0).maxLatencySeconds(), 1e-12); // c: Q (2/R + 1/R)
    assertEquals(0.0, res.get(0).arrivalRate());
    float[] kept = run(RoutingStrategy.UNPRUNED, AggregationRule.MASKED_MEAN, false, 1, res).get(0);
    for (int j = 0; j < 10; j++) {
      assertEquals(2f * (j + 1), kept[j], 1e-5f);
    }
  }

  @Test
  void aggregatorRotatesAndRoundsStartFromTheGlobalModel() {
    List<SimulationResult> res = new ArrayList<>();
    List<float[]> globals = new ArrayList<>();
    List<float[]> seen = new ArrayList<>();
    FederatedSimulation sim = FederatedSimulation.builder().setGraph(line()).setModel(MODEL)
        .setLocalUpdate((g, c, r) -> {
          seen.add(flat(g));
          write(g, c);
        }).setEvaluator(g -> {
          globals.add(flat(g));
          return 0;
        }).setRounds(3).setLatencyBudget(1.5).build();
    res.add(sim.run(RoutingStrategy.MIN_HOP));
    assertEquals(List.of("a", "b", "c"), res.get(0).rounds().stream().map(RoundRecord::aggregator).toList());
    assertArrayEquals(flat(MODEL), seen.get(0));
    assertArrayEquals(globals.get(0), seen.get(3)); // client 0 of round 1 starts from round 0's result
    assertArrayEquals(globals.get(1), seen.get(8));
    // Aggregator b is one hop from both: each link carries one flow, rho = min(1, 1.5 / 1) = 1.
    assertEquals(1.0, res.get(0).rounds().get(1).meanRetention(), 1e-12);
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> FederatedSimulation.builder().setGraph(line()).setModel(MODEL)
        .setLocalUpdate((g, c, r) -> { }).setEvaluator(g -> 0).setRounds(0).setLatencyBudget(1).build());
    assertThrows(IllegalArgumentException.class, () -> FederatedSimulation.builder().setGraph(line()).setModel(MODEL)
        .setLocalUpdate((g, c, r) -> { }).setEvaluator(g -> 0).setRounds(1).setLatencyBudget(-1).build());
    CommunicationGraph split = CommunicationGraph.builder().addClients("a", "b", "c")
        .addLink(Link.of("a", "b", 320)).build();
    FederatedSimulation sim = FederatedSimulation.builder().setGraph(split).setModel(MODEL)
        .setLocalUpdate((g, c, r) -> { }).setEvaluator(g -> 0).setRounds(1).setLatencyBudget(1).build();
    UnreachableClientException e = assertThrows(UnreachableClientException.class, () -> sim.run(RoutingStrategy.DFL));
    assertEquals("c", e.client());
    assertThrows(IllegalArgumentException.class, () -> CompressedModel.of(MODEL, 0));
  }
}
