package org.prunekit.analysis.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingPlannerTest {
  private static RoutingPlanner planner(CommunicationGraph g, double q, double t) {
    return RoutingPlanner.builder().setGraph(g).setModelBits(q).setLatencyBudget(t).build();
  }

  @Test
  void singleLinkHalvesTheModel() {
    CommunicationGraph g = CommunicationGraph.builder().addClients("a", "b").addLink(Link.of("a", "b", 10e6)).build();
    RoutingPlanner p = planner(g, 20e6, 1.0);
    FlowPlan f = p.plan(List.of(new Flow("a", "b")), RoutingStrategy.DFL).flows().get(0);
    assertEquals(0.5, f.retention(), 1e-12);
    assertEquals(1.0, f.latencySeconds(), 1e-12);
    assertTrue(f.withinBudget());
    FlowPlan whole = p.plan(List.of(new Flow("a", "b")), RoutingStrategy.UNPRUNED).flows().get(0);
    assertEquals(1.0, whole.retention());
    assertEquals(2.0, whole.latencySeconds(), 1e-12);
    assertFalse(whole.withinBudget());
  }

  @Test
  void delaysReduceTheSlack() {
    CommunicationGraph g = CommunicationGraph.builder().addClients("a", "b")
        .addLink(new Link("a", "b", 10e6, 0.2)).build();
    FlowPlan f = planner(g, 20e6, 1.0).plan(List.of(new Flow("a", "b")), RoutingStrategy.DFL).flows().get(0);
    assertEquals(0.4, f.retention(), 1e-12);
    assertEquals(1.0, f.latencySeconds(), 1e-12);
    assertEquals(0.0, RoutingPlanner.retention(20e6, 1.0, 1e-7, 1.0));
  }

  @Test
  void equalPerBitDelaysGiveEqualRetention() {
    // {1/10 + 1/10} via b versus {1/5} direct: both 0.2 s per Mb.
    CommunicationGraph g = CommunicationGraph.builder().addClients("a", "b", "d")
        .addLink(Link.of("a", "b", 10e6)).addLink(Link.of("b", "d", 10e6)).addLink(Link.of("a", "d", 5e6)).build();
    RoutingPlanner p = planner(g, 20e6, 1.0);
    FlowPlan direct = p.plan(List.of(new Flow("a", "d")), RoutingStrategy.MIN_HOP).flows().get(0);
    assertEquals(List.of("a", "d"), direct.path());
    CommunicationGraph twoHop = CommunicationGraph.builder().addClients("a", "b", "d")
        .addLink(Link.of("a", "b", 10e6)).addLink(Link.of("b", "d", 10e6)).build();
    FlowPlan relay = planner(twoHop, 20e6, 1.0).plan(List.of(new Flow("a", "d")), RoutingStrategy.DFL).flows().get(0);
    assertEquals(List.of("a", "b", "d"), relay.path());
    assertEquals(0.25, direct.retention(), 1e-12);
    assertEquals(direct.retention(), relay.retention(), 1e-12);
  }

  @Test
  void retentionNeverExceedsOne() {
    CommunicationGraph g = CommunicationGraph.builder().addClients("a", "b").addLink(Link.of("a", "b", 1e12)).build();
    FlowPlan f = planner(g, 20e6, 1.0).plan(List.of(new Flow("a", "b")), RoutingStrategy.DFL).flows().get(0);
    assertEquals(1.0, f.retention());
    assertEquals(20e6 / 1e12, f.latencySeconds(), 1e-15);
  }

  /** s1 and s2 share the 10 Mb/s link h-d; iteration moves s2 to its own 2-hop path via x. */
  static CommunicationGraph sharedBottleneck() {
    return CommunicationGraph.builder().addClients("s1", "s2", "h", "d", "x")
        .addLink(Link.of("s1", "h", 100e6)).addLink(Link.of("s2", "h", 100e6)).addLink(Link.of("h", "d", 10e6))
        .addLink(Link.of("s2", "x", 10e6)).addLink(Link.of("x", "d", 10e6)).build();
  }

  @Test
  void sharedLinkIterationReroutesOneFlow() {
    RoutingPlanner p = planner(sharedBottleneck(), 10e6, 1.0);
    List<Flow> flows = List.of(new Flow("s1", "d"), new Flow("s2", "d"));
    RoutingPlan dfl = p.plan(flows, RoutingStrategy.DFL);
    assertEquals(List.of("s1", "h", "d"), dfl.flowFrom("s1").path());
    assertEquals(List.of("s2", "x", "d"), dfl.flowFrom("s2").path());
    assertEquals(1 / 1.1, dfl.flowFrom("s1").retention(), 1e-12); // Q (1/100 + 1/10) per Mb = 1.1 s
    assertEquals(0.5, dfl.flowFrom("s2").retention(), 1e-12);     // Q (1/10 + 1/10) = 2 s
    assertEquals(3, dfl.iterations());
    assertEquals(1, dfl.linkLoads()[2]);
    // Min-hop keeps both on the shared link: each gets R/2 there, Q (1/100 + 2/10) = 2.1 s.
    RoutingPlan hop = p.plan(flows, RoutingStrategy.MIN_HOP);
    assertEquals(List.of("s2", "h", "d"), hop.flowFrom("s2").path());
    assertEquals(1 / 2.1, hop.flowFrom("s1").retention(), 1e-12);
    assertEquals(1 / 2.1, hop.flowFrom("s2").retention(), 1e-12);
    assertEquals(1.0, hop.maxLatency(), 1e-12);
    assertTrue(dfl.sumRetention() > hop.sumRetention());
    // Without iteration D-FL equals min-hop here.
    RoutingPlan once = RoutingPlanner.builder().setGraph(sharedBottleneck()).setModelBits(10e6).setLatencyBudget(1)
        .optMaxIterations(1).build().plan(flows, RoutingStrategy.DFL);
    assertEquals(hop.sumRetention(), once.sumRetention(), 1e-12);
  }

  @Test
  void widestPathMaximisesTheBottleneck() {
    CommunicationGraph g = CommunicationGraph.builder().addClients("a", "b", "c", "e", "d")
        .addLink(Link.of("a", "d", 8e6)).addLink(Link.of("a", "b", 10e6)).addLink(Link.of("b", "c", 10e6))
        .addLink(Link.of("c", "e", 10e6)).addLink(Link.of("e", "d", 10e6)).build();
    RoutingPlanner p = planner(g, 1e6, 1.0);
    List<Flow> flows = List.of(new Flow("a", "d"));
    assertEquals(List.of("a", "b", "c", "e", "d"), p.plan(flows, RoutingStrategy.WIDEST).flows().get(0).path());
    FlowPlan dfl = p.plan(flows, RoutingStrategy.DFL).flows().get(0);
    assertEquals(List.of("a", "d"), dfl.path());
    assertEquals(1.0, dfl.retention()); // 1 Mb over 8 Mb/s = 0.125 s < 1 s
    assertEquals(0.125, dfl.latencySeconds(), 1e-12);
  }

  @Test
  void dijkstraMatchesBruteForceOnRandomGraphs() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 30; trial++) {
      CommunicationGraph.Builder b = CommunicationGraph.builder();
      for (int i = 0; i < 8; i++) {
        b.addClients("n" + i);
      }
      for (int i = 0; i < 8; i++) {
        for (int j = i + 1; j < 8; j++) {
          if (rnd.nextDouble() < 0.4) {
            b.addLink(Link.of("n" + i, "n" + j, 1e6 * (1 + 99 * rnd.nextDouble())));
          }
        }
      }
      CommunicationGraph g = b.build();
      RoutingPlanner p = planner(g, 5e6, 0.5);
      int s = rnd.nextInt(8);
      int d = (s + 1 + rnd.nextInt(7)) % 8;
      double best = bruteForce(g, s, d, new boolean[8], 0);
      if (Double.isInfinite(best)) {
        assertThrows(UnreachableClientException.class,
            () -> p.plan(List.of(new Flow("n" + s, "n" + d)), RoutingStrategy.DFL));
        continue;
      }
      for (RoutingStrategy st : RoutingStrategy.values()) {
        FlowPlan f = p.plan(List.of(new Flow("n" + s, "n" + d)), st).flows().get(0);
        assertEquals(f.path().size(), new HashSet<>(f.path()).size(), "not a simple path: " + f.path());
        assertEquals("n" + s, f.path().get(0));
        assertEquals("n" + d, f.path().get(f.path().size() - 1));
        double inv = f.links().stream().mapToDouble(e -> 1 / g.link(e).rateBitsPerSecond()).sum();
        if (st == RoutingStrategy.DFL) {
          assertEquals(best, inv, 1e-15, "trial " + trial);
          assertEquals(RoutingPlanner.retention(5e6, 0.5, best, 0), f.retention(), 1e-12);
        } else {
          assertTrue(inv >= best - 1e-15);
        }
        assertTrue(f.retention() <= 1);
      }
    }
  }

  @Test
  void dflObjectiveIsNeverBelowTheDeterministicBaselines() {
    Random rnd = new Random(7);
    int strictlyBetter = 0;
    for (int trial = 0; trial < 40; trial++) {
      CommunicationGraph.Builder b = CommunicationGraph.builder();
      for (int i = 0; i < 8; i++) {
        b.addClients("n" + i);
        if (i > 0) {
          b.addLink(Link.of("n" + i, "n" + rnd.nextInt(i), 1e6 * (1 + 19 * rnd.nextDouble())));
        }
      }
      for (int i = 0; i < 8; i++) {
        for (int j = i + 2; j < 8; j++) {
          if (rnd.nextDouble() < 0.3) {
            try {
              b.addLink(Link.of("n" + i, "n" + j, 1e6 * (1 + 19 * rnd.nextDouble())));
            } catch (IllegalArgumentException duplicate) {
              // the tree already joins them
            }
          }
        }
      }
      CommunicationGraph g;
      try {
        g = b.build();
      } catch (IllegalArgumentException duplicate) {
        continue;
      }
      RoutingPlanner p = planner(g, 2e6, 0.5);
      List<Flow> flows = p.flowsTo("n" + rnd.nextInt(8));
      double dfl = p.plan(flows, RoutingStrategy.DFL).sumRetention();
      double hop = p.plan(flows, RoutingStrategy.MIN_HOP).sumRetention();
      double wide = p.plan(flows, RoutingStrategy.WIDEST).sumRetention();
      assertTrue(dfl >= hop - 1e-9 && dfl >= wide - 1e-9, "trial " + trial + ": " + dfl + " " + hop + " " + wide);
      if (dfl > Math.max(hop, wide) + 1e-9) {
        strictlyBetter++;
      }
    }
    assertTrue(strictlyBetter > 0, "D-FL never beat both baselines");
  }

  private static double bruteForce(CommunicationGraph g, int at, int d, boolean[] seen, double acc) {
    if (at == d) {
      return acc;
    }
    seen[at] = true;
    double best = Double.POSITIVE_INFINITY;
    for (int[] nb : g.neighbours(at)) {
      if (!seen[nb[0]]) {
        best = Math.min(best, bruteForce(g, nb[0], d, seen, acc + 1 / g.link(nb[1]).rateBitsPerSecond()));
      }
    }
    seen[at] = false;
    return best;
  }

  @Test
  void flowsToAggregatorAndRandomIsSeeded() {
    RoutingPlanner p = RoutingPlanner.builder().setGraph(sharedBottleneck()).setModelBits(10e6)
        .setLatencyBudget(1).optSeed(5).build();
    List<Flow> flows = p.flowsTo("d");
    assertEquals(4, flows.size());
    List<List<String>> a = new ArrayList<>();
    List<List<String>> b = new ArrayList<>();
    p.plan(flows, RoutingStrategy.RANDOM).flows().forEach(f -> a.add(f.path()));
    p.plan(flows, RoutingStrategy.RANDOM).flows().forEach(f -> b.add(f.path()));
    assertEquals(a, b);
  }

  @Test
  void badInputGetsClearExceptions() {
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> new Link("a", "b", 1e6, -0.1));
    assertTrue(neg.getMessage().contains("a-b") && neg.getMessage().contains("delay"), neg.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Link.of("a", "b", -5));
    IllegalArgumentException bw = assertThrows(IllegalArgumentException.class,
        () -> Link.shannon("a", "b", -1e6, 10, 0));
    assertTrue(bw.getMessage().contains("bandwidth"), bw.getMessage());
    assertEquals(1e6 * Math.log(11) / Math.log(2), Link.shannon("a", "b", 1e6, 10, 0).rateBitsPerSecond(), 1e-6);
    assertThrows(IllegalArgumentException.class,
        () -> CommunicationGraph.builder().addClients("a").addLink(Link.of("a", "zz", 1)).build());
    CommunicationGraph split = CommunicationGraph.builder().addClients("a", "b", "c", "d")
        .addLink(Link.of("a", "b", 1e6)).addLink(Link.of("c", "d", 1e6)).build();
    UnreachableClientException un = assertThrows(UnreachableClientException.class,
        () -> planner(split, 1e6, 1).plan(planner(split, 1e6, 1).flowsTo("a"), RoutingStrategy.DFL));
    assertEquals("c", un.client());
    assertTrue(un.getMessage().contains("'c'"), un.getMessage());
    CommunicationGraph slow = CommunicationGraph.builder().addClients("a", "b", "c")
        .addLink(new Link("a", "b", 1e6, 0.1)).addLink(new Link("c", "b", 1e6, 2.0)).build();
    InfeasibleBudgetException inf = assertThrows(InfeasibleBudgetException.class,
        () -> planner(slow, 1e6, 1).plan(planner(slow, 1e6, 1).flowsTo("b"), RoutingStrategy.DFL));
    assertEquals("c", inf.client());
    // The baselines report retention 0 instead of failing.
    assertEquals(0.0, planner(slow, 1e6, 1).plan(List.of(new Flow("c", "b")), RoutingStrategy.MIN_HOP)
        .flows().get(0).retention());
    RoutingPlanner strict = RoutingPlanner.builder().setGraph(slow).setModelBits(1e6).setLatencyBudget(1)
        .optMinRetention(0.95).build();
    assertThrows(InfeasibleBudgetException.class, () -> strict.plan(List.of(new Flow("a", "b")), RoutingStrategy.DFL));
    assertThrows(IllegalArgumentException.class,
        () -> RoutingPlanner.builder().setGraph(slow).setModelBits(1e6).setLatencyBudget(-1).build());
    assertThrows(IllegalArgumentException.class, () -> new Flow("a", "a"));
  }
}
