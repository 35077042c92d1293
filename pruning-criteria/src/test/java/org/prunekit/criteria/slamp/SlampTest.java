package org.prunekit.criteria.slamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.lamp.LampAllocation;

/** Spec 3.6 (SLAMP, PROPOSAL score) with hand-computed values and the reduction to LAMP. */
class SlampTest {

  @Test
  void stepWeightsByHand() {
    assertArrayEquals(new double[] {1.5, 1}, TemporalFactors.stepWeights(2, 0.5), 0);
    assertArrayEquals(new double[] {3, 2, 1}, TemporalFactors.stepWeights(3, 1), 0); // IF neurons
    assertArrayEquals(new double[] {1, 1, 1}, TemporalFactors.stepWeights(3, 0), 0);
    assertArrayEquals(new double[] {1.75, 1.5, 1}, TemporalFactors.stepWeights(3, 0.5), 0);
    assertThrows(IllegalArgumentException.class, () -> TemporalFactors.stepWeights(0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> TemporalFactors.stepWeights(2, 1.5));
  }

  @Test
  void kappaSpecExamples() {
    // spec test 5: T = 2, beta = .5, c = [1.5, 1]; norms [2, 0] -> 3 / 2.5; [0, 2] -> 2 / 2.5
    assertEquals(1.2, TemporalFactors.kappa(new double[] {2, 0}, 0.5), 1e-15);
    assertEquals(0.8, TemporalFactors.kappa(new double[] {0, 2}, 0.5), 1e-15);
    // spec test 2: a silent input is 0/0, defined as 1
    assertEquals(1.0, TemporalFactors.kappa(new double[] {0, 0, 0}, 0.9), 0);
    // T = 1 is neutral whatever the norm; constant norms are neutral too
    assertEquals(1.0, TemporalFactors.kappa(new double[] {3.7}, 0.9), 0);
    assertEquals(1.0, TemporalFactors.kappa(new double[] {2, 2, 2, 2}, 0.7), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> TemporalFactors.kappa(new double[] {1, Double.NaN}, 0.5));
    assertThrows(IllegalArgumentException.class, () -> TemporalFactors.kappa(new double[] {}, 0.5));
  }

  @Test
  void kappaMonotonicity() {
    // spec test 4: adding input at step 1 never decreases kappa; adding it at step T never increases it
    SplittableRandom r = new SplittableRandom(7);
    for (int trial = 0; trial < 200; trial++) {
      int steps = 2 + r.nextInt(6);
      double beta = r.nextDouble();
      double[] m = new double[steps];
      for (int t = 0; t < steps; t++) {
        m[t] = r.nextDouble() < 0.2 ? 0 : r.nextDouble() * 3;
      }
      double base = TemporalFactors.kappa(m, beta);
      double[] early = m.clone();
      early[0] += 0.5;
      double[] late = m.clone();
      late[steps - 1] += 0.5;
      assertTrue(TemporalFactors.kappa(early, beta) >= base - 1e-12, "early, trial " + trial);
      assertTrue(TemporalFactors.kappa(late, beta) <= base + 1e-12, "late, trial " + trial);
    }
  }

  private static Map<String, Tensor> layers(float[]... ws) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < ws.length; i++) {
      m.put("l" + i + ".weight", Tensor.of(ws[i], 1, ws[i].length));
    }
    return m;
  }

  @Test
  void neutralKappaIsExactlyLamp() {
    Map<String, Tensor> w = layers(new float[] {1, 2, 3}, new float[] {0.5f, 4});
    LampAllocation.Result lamp = LampAllocation.allocate(w, Map.of(), 0.4);
    LampAllocation.Result slamp = SlampAllocation.allocate(w, Map.of(), 0.4, Map.of("l0.weight", 1.0, "l1.weight", 1.0));
    assertEquals(lamp, slamp);
  }

  @Test
  void handAllocationFollowsKappa() {
    // LAMP: l0 [1,2,3] -> [1/14, 4/13, 1]; l1 [1.9, 3] -> [3.61/12.61, 1] = [.2863, 1]. Keep 3 of 5:
    // threshold 4/13 -> l0 keeps {2, 3}, l1 keeps {3}.
    // SLAMP, kappa0 = .8, kappa1 = 1.2: l0 [.0571, .2462, .8], l1 [.3435, 1.2] -> threshold .3435:
    // l0 keeps {3}, l1 keeps {1.9, 3}.
    Map<String, Tensor> w = layers(new float[] {1, 2, 3}, new float[] {1.9f, 3});
    LampAllocation.Result lamp = LampAllocation.allocate(w, Map.of(), 0.4);
    assertEquals(Map.of("l0.weight", 2L, "l1.weight", 1L), lamp.kept());
    LampAllocation.Result s = SlampAllocation.allocate(w, Map.of(), 0.4, Map.of("l0.weight", 0.8, "l1.weight", 1.2));
    assertEquals(3, s.survivors());
    assertEquals(1.2 * 3.61 / 12.61, s.threshold(), 1e-6);
    assertEquals(Map.of("l0.weight", 1L, "l1.weight", 2L), s.kept());
    assertArrayEquals(new float[] {0, 0, 1}, s.masks().mask("l0.weight").data());
    assertArrayEquals(new float[] {1, 1}, s.masks().mask("l1.weight").data());
  }

  @Test
  void aLayerIsNeverEmptiedEvenWithASmallKappa() {
    // l0 [1,2,3] with kappa .1 tops at .1; l1 [1,1,1,1] scores [1/4, 1/3, 1/2, 1]. Keep 3 of 7:
    // threshold 1/4... the top three are 1, 1/2, 1/3, all in l1; l0 still keeps its largest weight.
    Map<String, Tensor> w = layers(new float[] {1, 2, 3}, new float[] {1, 1, 1, 1});
    LampAllocation.Result s = SlampAllocation.allocate(w, Map.of(), 4.0 / 7, Map.of("l0.weight", 0.1, "l1.weight", 1.0));
    assertEquals(3, s.survivors());
    assertEquals(Map.of("l0.weight", 1L, "l1.weight", 3L), s.kept());
    assertArrayEquals(new float[] {0, 0, 1}, s.masks().mask("l0.weight").data());
  }

  @Test
  void badFactorsAreRejected() {
    Map<String, Tensor> w = layers(new float[] {1, 2, 3});
    assertThrows(IllegalArgumentException.class, () -> SlampAllocation.allocate(w, Map.of(), 0.5, Map.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SlampAllocation.allocate(w, Map.of(), 0.5, Map.of("l0.weight", 0.0)));
    assertTrue(e.getMessage().contains("l0.weight"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> SlampAllocation.allocate(w, Map.of(), 0.5, Map.of("l0.weight", 1.0, "other", 1.0)));
  }

  // ---- on graphs ----

  /** x[6] -> repeat T -> fc1[8] -> lif -> fc2[8] -> lif -> fc3[3] -> mean over T. */
  private static Graph spikingMlp(int steps, long seed) {
    Graph g = GraphBuilder.create(seed).input("x", 6)
        .node("enc", new TimeEncode(steps, TimeEncode.Mode.REPEAT), "x")
        .linear("fc1", 8).node("lif1", new Lif(steps, 0.5f, 0.3f, Lif.Reset.SUBTRACT, 25f), "fc1")
        .linear("fc2", 8).node("lif2", new Lif(steps, 0.8f, 0.3f, Lif.Reset.SUBTRACT, 25f), "fc2")
        .linear("fc3", 3).node("rate", new TimeMean(steps), "fc3").output()
        .build();
    return g;
  }

  private static List<Tensor> batches(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Tensor> out = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      float[] x = new float[4 * 6];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (r.nextGaussian() + 0.5);
      }
      out.add(Tensor.of(x, 4, 6));
    }
    return out;
  }

  @Test
  void oneTimeStepGivesExactlyLampOnAGraph() {
    Graph g = spikingMlp(1, 3);
    Targets targets = Targets.defaults();
    SpikeStatistics stats = SpikeStatistics.calibrate(g, targets, batches(5));
    assertEquals(12, stats.samples("fc2"));
    assertTrue(stats.meanNorms("fc2")[0] > 0, "the hidden layer fires");
    for (double s : new double[] {0.3, 0.5, 0.8}) {
      SlampAllocation.Result slamp = SlampAllocation.allocate(g, targets, s, stats);
      LampAllocation.Result lamp = LampAllocation.allocate(g, targets, s);
      for (double k : slamp.kappa().values()) {
        assertEquals(1.0, k, 0, "T = 1: kappa is exactly 1");
      }
      assertEquals(lamp.threshold(), slamp.allocation().threshold(), 0);
      assertEquals(lamp.kept(), slamp.allocation().kept());
      for (String name : lamp.masks().names()) {
        assertTrue(lamp.masks().mask(name).bitEquals(slamp.allocation().masks().mask(name)), name + " at " + s);
      }
    }
  }

  /**
   * Two layers whose inputs fire at different steps: a[2 steps, 3] feeds fcA (weights 1, 2, 3)
   * only at step 2 (norms [0, 2], kappa .8); b[2 steps, 2] feeds fcB (weights 1.9, 3) only at step
   * 1 (norms [2, 0], kappa 1.2); both integrate into LIF neurons with beta .5.
   */
  @Test
  void earlyFiringLayerKeepsMoreThanUnderLamp() {
    Graph g = GraphBuilder.create(1).input("a", 2, 3).input("b", 2, 2)
        .node("ua", new TimeEncode(2, TimeEncode.Mode.UNFOLD), "a")
        .node("fcA", new Linear(3, 1, false), "ua").node("lifA", Lif.of(2, 0.5f), "fcA")
        .node("ma", new TimeMean(2), "lifA").output()
        .node("ub", new TimeEncode(2, TimeEncode.Mode.UNFOLD), "b")
        .node("fcB", new Linear(2, 1, false), "ub").node("lifB", Lif.of(2, 0.5f), "fcB")
        .node("mb", new TimeMean(2), "lifB").output()
        .build();
    g.parameter("fcA.weight").setValue(Tensor.of(new float[] {1, 2, 3}, 1, 3));
    g.parameter("fcB.weight").setValue(Tensor.of(new float[] {1.9f, 3}, 1, 2));
    SpikeStatistics stats = new SpikeStatistics(g, java.util.Set.of("fcA", "fcB"));
    try (org.prunekit.core.exec.GraphExecutor ex = org.prunekit.core.exec.GraphExecutor.create(g);
        ai.djl.ndarray.NDManager m = org.prunekit.core.exec.DjlEnvironment.newManager()) {
      ai.djl.ndarray.NDList in = new ai.djl.ndarray.NDList(
          m.create(new float[] {0, 0, 0, 2, 0, 0}, new ai.djl.ndarray.types.Shape(1, 2, 3)),
          m.create(new float[] {0, 2, 0, 0}, new ai.djl.ndarray.types.Shape(1, 2, 2)));
      ex.forward(in, List.of(stats)).close();
    }
    assertArrayEquals(new double[] {0, 2}, stats.meanNorms("fcA"), 0);
    assertArrayEquals(new double[] {2, 0}, stats.meanNorms("fcB"), 0);
    SlampAllocation.Result s = SlampAllocation.allocate(g, Targets.defaults(), 0.4, stats);
    assertEquals(0.5, s.beta().get("fcA.weight"), 0);
    assertEquals(0.8, s.kappa().get("fcA.weight"), 1e-15);
    assertEquals(1.2, s.kappa().get("fcB.weight"), 1e-15);
    LampAllocation.Result lamp = LampAllocation.allocate(g, Targets.defaults(), 0.4);
    assertEquals(Map.of("fcA.weight", 2L, "fcB.weight", 1L), lamp.kept());
    assertEquals(Map.of("fcA.weight", 1L, "fcB.weight", 2L), s.allocation().kept());
    assertTrue(s.allocation().amounts().get("fcB.weight") < lamp.amounts().get("fcB.weight"),
        "the layer whose input fires early (kappa > 1) is pruned less than under LAMP");
    assertNotEquals(lamp.masks().mask("fcA.weight"), s.allocation().masks().mask("fcA.weight"));
  }

  @Test
  void membraneDecayIsTheIntegratingLifsOrZeroForTheReadout() {
    Graph g = spikingMlp(4, 1);
    assertEquals(0.5, TemporalFactors.membraneDecay(g, "fc1"), 1e-7);
    assertEquals(0.8, TemporalFactors.membraneDecay(g, "fc2"), 1e-7);
    assertEquals(0.0, TemporalFactors.membraneDecay(g, "fc3"), 0, "read-out: no integration");
  }

  @Test
  void pruneAttachesMasksAndMissingStatisticsLeaveTheGraphUnchanged() {
    Graph g = spikingMlp(4, 2);
    SpikeStatistics onlyFc1 = new SpikeStatistics(g, java.util.Set.of("fc1"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SlampAllocation.prune(g, Targets.defaults(), 0.5, onlyFc1));
    assertTrue(e.getMessage().contains("fc2"), e.getMessage());
    for (Parameter p : g.parameters()) {
      assertFalse(p.hasMask(), p.qualifiedName());
    }
    SpikeStatistics none = SpikeStatistics.forTargets(g, Targets.defaults());
    e = assertThrows(IllegalArgumentException.class, () -> SlampAllocation.prune(g, Targets.defaults(), 0.5, none));
    assertTrue(e.getMessage().contains("no calibration sample"), e.getMessage());
    SpikeStatistics stats = SpikeStatistics.calibrate(g, Targets.defaults(), batches(9));
    SlampAllocation.prune(g, Targets.defaults(), 0.5, stats);
    long kept = 0;
    long total = 0;
    for (String n : List.of("fc1.weight", "fc2.weight", "fc3.weight")) {
      Parameter p = g.parameter(n);
      assertTrue(p.hasMask(), n);
      float[] m = p.mask().data();
      long k = 0;
      for (float v : m) {
        k += v != 0 ? 1 : 0;
      }
      assertTrue(k >= 1, n + " keeps at least one weight");
      kept += k;
      total += m.length;
    }
    assertEquals(Math.rint(total * 0.5), kept, 3, "about half survive (ties may keep a few more)");
  }

  @Test
  void pruningReducesMeasuredSynapticOperations() {
    Graph g = spikingMlp(4, 4);
    List<Tensor> data = batches(11);
    long before = sops(g, data);
    assertTrue(before > 0, "the network fires");
    SlampAllocation.prune(g, Targets.defaults(), 0.7, SpikeStatistics.calibrate(g, Targets.defaults(), data));
    long after = sops(g, data);
    assertTrue(after < before, "SOPs " + before + " -> " + after);
  }

  private static long sops(Graph g, List<Tensor> data) {
    org.prunekit.core.snn.SopCounter counter = org.prunekit.core.snn.SopCounter.create(g);
    try (org.prunekit.core.exec.GraphExecutor ex = org.prunekit.core.exec.GraphExecutor.create(g)) {
      for (Tensor t : data) {
        try (ai.djl.ndarray.NDManager m = ex.manager().newSubManager()) {
          ex.forward(new ai.djl.ndarray.NDList(org.prunekit.core.tensor.TensorConversions.toDjl(m, t)), List.of(counter))
              .close();
        }
      }
    }
    return counter.report().totalSops();
  }
}
