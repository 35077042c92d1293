package org.prunekit.dynamic.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Spec 3.5, test 3: T = 35, τ = 11, T_cache = 5, guidance [(24, 7.5), (11, 10)]. */
class FlashUScheduleTest {
  private static final FlashUSchedule S = FlashUSchedule.flashUDefault();

  @Test
  void fullNetworkOnSteps25To35() {
    for (int s = 1; s <= 35; s++) {
      assertEquals(s >= 25 ? NetworkChoice.FULL : NetworkChoice.PRUNED, S.plan(s).network(), "step " + s);
    }
    HybridPolicy h = new HybridPolicy(10, 0);
    assertFalse(h.useFull(10));
    assertTrue(new HybridPolicy(10, 10).useFull(1));
  }

  @Test
  void cacheStoresOn5To20AndReusesBetween() {
    Set<Integer> store = Set.of(5, 10, 15, 20);
    List<Integer> reuse = new ArrayList<>();
    for (int s = 6; s <= 24; s++) {
      if (!store.contains(s)) {
        reuse.add(s);
      }
    }
    assertEquals(List.of(6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24), reuse);
    for (int s = 1; s <= 35; s++) {
      CacheAction want = store.contains(s) ? CacheAction.COMPUTE_AND_STORE
          : reuse.contains(s) ? CacheAction.REUSE : CacheAction.COMPUTE;
      assertEquals(want, S.plan(s).cache(), "step " + s);
    }
  }

  @Test
  void guidance75ThenTen() {
    for (int s = 1; s <= 35; s++) {
      assertEquals(s <= 24 ? 7.5 : 10.0, S.plan(s).guidanceScale(), 0, "step " + s);
    }
    GuidanceSchedule g = GuidanceSchedule.flashUDefault();
    assertEquals(10.0, g.scale(36), 0); // beyond the schedule: s0
    GuidanceSchedule readme = new GuidanceSchedule(List.of(new GuidanceSchedule.Phase(4, 5.0),
        new GuidanceSchedule.Phase(8, 7.5), new GuidanceSchedule.Phase(20, 11.0)), 10.0);
    assertEquals(5.0, readme.scale(4), 0);
    assertEquals(7.5, readme.scale(5), 0);
    assertEquals(7.5, readme.scale(12), 0);
    assertEquals(11.0, readme.scale(13), 0);
    assertEquals(11.0, readme.scale(32), 0);
    assertEquals(10.0, readme.scale(33), 0);
    float[] v = GuidanceSchedule.guide(new float[] {1, -2}, new float[] {3, 0}, 7.5);
    assertEquals(1 + 7.5f * 2, v[0], 1e-6);
    assertEquals(-2 + 7.5f * 2, v[1], 1e-6);
  }

  @Test
  void headCacheRunsThePlan() {
    AtomicInteger calls = new AtomicInteger();
    try (HeadCache<Integer> cache = new HeadCache<>()) {
      List<Integer> seen = new ArrayList<>();
      for (StepPlan p : S.plans()) {
        seen.add(cache.get(p, () -> p.step() * 100 + calls.incrementAndGet() * 0));
      }
      // 35 steps - 16 reuses = 19 computations of the cacheable part
      assertEquals(19, cache.computed());
      assertEquals(16, cache.reused());
      assertEquals(19, calls.get());
      assertEquals(500, seen.get(6 - 1)); // step 6 reuses step 5's output
      assertEquals(2000, seen.get(24 - 1)); // step 24 reuses step 20's
      assertEquals(2500, seen.get(25 - 1)); // full phase computes afresh
    }
    StepPlan reuse = new StepPlan(3, NetworkChoice.PRUNED, CacheAction.REUSE, 1);
    try (HeadCache<String> empty = new HeadCache<>()) {
      assertThrows(IllegalStateException.class, () -> empty.get(reuse, () -> "x"));
    }
  }

  @Test
  void closesReplacedValues() {
    AtomicInteger closed = new AtomicInteger();
    FlashUSchedule s = FlashUSchedule.builder().setTotalSteps(6).optFullSteps(2).optCachePeriod(2).build();
    // steps: 1 compute, 2 store, 3 reuse, 4 store, 5-6 full (cleared)
    assertEquals(List.of(CacheAction.COMPUTE, CacheAction.COMPUTE_AND_STORE, CacheAction.REUSE,
        CacheAction.COMPUTE_AND_STORE, CacheAction.COMPUTE, CacheAction.COMPUTE),
        s.plans().stream().map(StepPlan::cache).toList());
    try (HeadCache<AutoCloseable> cache = new HeadCache<>()) {
      AutoCloseable first = null;
      for (StepPlan p : s.plans()) {
        AutoCloseable v = cache.get(p, () -> closed::incrementAndGet);
        if (p.step() == 2) {
          first = v;
        }
        if (p.step() == 3) {
          assertSame(first, v);
        }
      }
      assertEquals(2, closed.get()); // step-2 value replaced at 4, step-4 value cleared at 5
    }
  }

  @Test
  void badInput() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FlashUSchedule.builder().setTotalSteps(10).optFullSteps(11).build());
    assertTrue(e.getMessage().contains("11") && e.getMessage().contains("10"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new HybridPolicy(10, -1));
    assertThrows(IllegalArgumentException.class, () -> FlashUSchedule.builder().build());
    assertThrows(IllegalArgumentException.class, () -> new HeadCachePolicy(0));
    assertThrows(IllegalArgumentException.class, () -> S.plan(36));
    assertThrows(IllegalArgumentException.class, () -> S.plan(0));
    assertThrows(IllegalArgumentException.class, () -> new GuidanceSchedule.Phase(0, 7.5));
    assertThrows(IllegalArgumentException.class, () -> GuidanceSchedule.constant(Double.NaN));
    e = assertThrows(IllegalArgumentException.class,
        () -> GuidanceSchedule.guide(new float[] {Float.NaN}, new float[] {1}, 2));
    assertTrue(e.getMessage().contains("index 0"), e.getMessage());
  }
}
