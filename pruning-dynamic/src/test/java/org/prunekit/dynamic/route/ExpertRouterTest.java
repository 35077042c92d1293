package org.prunekit.dynamic.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.dynamic.ControllerProvider;
import org.prunekit.dynamic.Controllers;
import org.prunekit.dynamic.InferenceCost;

class ExpertRouterTest {
  // light: linear 4 -> 3 (12 MACs); heavy: linear 4 -> 8, relu, linear 8 -> 3 (32 + 24 = 56 MACs)
  static Graph light() {
    return GraphBuilder.create(1).input("x", 4).linear("fc", 3).build();
  }

  static Graph heavy() {
    return GraphBuilder.create(2).input("x", 4).linear("fc1", 8).relu().linear("fc2", 3).build();
  }

  private static final Tensor X = Tensor.of(new float[] {
      0.1f, -0.2f, 0.3f, 0.4f,
      1.0f, 0.5f, -0.5f, 0.2f,
      -0.3f, 0.8f, 0.1f, -0.9f}, 3, 4);

  private static ExpertRouter router(double t) {
    return ExpertRouter.builder().setLight(light()).setHeavy(heavy()).setThreshold(t).build();
  }

  @Test
  void thresholdZeroNeverEscalatesAndCostsLightOnly() {
    try (ExpertRouter r = router(0)) {
      assertEquals(12, r.lightCost().macs());
      assertEquals(56, r.heavyCost().macs());
      assertEquals(12.0 / 56, r.lightCostFraction(), 1e-12);
      RoutedBatch b = r.route(X);
      assertEquals(0, b.heavyCount());
      assertArrayEquals(r.predictLight(X).data(), b.outputs().data());
      for (InferenceCost c : b.costs()) {
        assertEquals(12, c.macs());
        assertEquals(1, c.networkEvaluations());
        assertEquals(0.0, c.counters().get(ExpertRouter.HEAVY_USED));
      }
    }
  }

  @Test
  void thresholdOneEscalatesEveryUnsaturatedInput() {
    try (ExpertRouter r = router(1)) {
      RoutedBatch b = r.route(X);
      assertEquals(3, b.heavyCount());
      assertArrayEquals(r.predictHeavy(X).data(), b.outputs().data(), 1e-6f);
      InferenceCost total = b.totalCost();
      assertEquals(3 * (12 + 56), total.macs());
      assertEquals(6, total.networkEvaluations());
      assertEquals(3.0, total.counters().get(ExpertRouter.HEAVY_USED));
      assertEquals(r.lightCost().memoryAccessBytes() + r.heavyCost().memoryAccessBytes(),
          b.costs().get(0).memoryAccessBytes());
    }
  }

  @Test
  void mixedRoutingRunsHeavyOnlyOnEscalatedRows() {
    try (ExpertRouter r = router(0)) {
      double[] p = r.route(X).priors();
      double[] sorted = p.clone();
      Arrays.sort(sorted);
      r.setThreshold((sorted[0] + sorted[1]) / 2); // only the least confident row escalates
      RoutedBatch b = r.route(X);
      assertEquals(1, b.heavyCount());
      int esc = 0;
      while (!b.heavyUsed()[esc]) {
        esc++;
      }
      assertEquals(sorted[0], p[esc], 0);
      float[] lo = r.predictLight(X).data();
      float[] ho = r.predictHeavy(X).data();
      for (int i = 0; i < 3; i++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(i == esc ? ho[i * 3 + c] : lo[i * 3 + c], b.outputs().data()[i * 3 + c], 1e-6f);
        }
      }
      assertEquals(3 * 12 + 56, b.totalCost().macs());
    }
  }

  @Test
  void badInputIsRejectedClearly() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> router(1.5));
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    Graph wide = GraphBuilder.create(3).input("x", 4).linear("fc", 5).build();
    e = assertThrows(IllegalArgumentException.class,
        () -> ExpertRouter.builder().setLight(light()).setHeavy(wide).setThreshold(0.5).build());
    assertTrue(e.getMessage().contains("heavy expert output") && e.getMessage().contains("5"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ExpertRouter.builder().setLight(light()).setHeavy(heavy()).optPrior(ConfidencePrior.ENTROPY)
            .setThreshold(1.2).build()); // ln 3 = 1.0986
    try (ExpertRouter r = router(0.5)) {
      assertThrows(IllegalArgumentException.class, () -> r.setThreshold(-0.01));
      assertEquals(0.5, r.threshold());
      e = assertThrows(IllegalArgumentException.class, () -> r.route(Tensor.of(new float[10], 2, 5)));
      assertTrue(e.getMessage().contains("[2, 5]"), e.getMessage());
      float[] nan = X.data().clone();
      nan[5] = Float.NaN;
      e = assertThrows(IllegalArgumentException.class, () -> r.route(Tensor.of(nan, 3, 4)));
      assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }
  }

  @Test
  void registeredAsAgfRoute() {
    ControllerProvider p = Controllers.byName("agf-route");
    assertEquals(ExpertRouter.class, p.controllerType());
  }
}
