package org.prunekit.dynamic.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.dynamic.InferenceCost;

class ScheduledEulerSamplerTest {
  /**
   * A hand-made field on d = 1: trunk returns the state (so a reused trunk returns an old state),
   * head returns -features (+1 for class 0, +0 unconditional); costs trunk 10/7 MACs, head 3/2
   * MACs (full/pruned). Logs every call.
   */
  static final class Recording implements SplitVelocityField {
    final List<String> calls = new ArrayList<>();
    boolean nan;

    @Override
    public int dim() {
      return 1;
    }

    @Override
    public Tensor trunk(NetworkChoice network, Tensor x, double t, int[] classes) {
      calls.add("trunk " + network);
      return x.copy();
    }

    @Override
    public Tensor head(NetworkChoice network, Tensor features, Tensor x, double t, int[] classes) {
      calls.add("head " + network);
      float[] v = new float[classes.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = nan && t > 0.5 ? Float.NaN : -features.data()[i] + (classes[i] == 0 ? 1 : 0);
      }
      return Tensor.of(v, v.length, 1);
    }

    @Override
    public InferenceCost trunkCost(NetworkChoice n) {
      return InferenceCost.of(n == NetworkChoice.FULL ? 10 : 7, 0, 1);
    }

    @Override
    public InferenceCost headCost(NetworkChoice n) {
      return InferenceCost.of(n == NetworkChoice.FULL ? 3 : 2, 0, 1);
    }
  }

  @Test
  void flashUScheduleSkipsSixteenTrunkEvaluations() {
    Recording f = new Recording();
    ScheduledEulerSampler.Result r = ScheduledEulerSampler.sample(f, FlashUSchedule.flashUDefault(),
        Tensor.of(new float[] {0.5f}, 1, 1), new int[] {0}, true);
    assertEquals(19, r.trunkComputed());
    assertEquals(16, r.trunkReused());
    assertEquals(19 + 35, f.calls.size());
    // 2 rows (cond + uncond) per step; trunk pruned on 1-4, 5, 10, 15, 20 (8 steps), full on 25-35 (11 steps)
    long macs = 2L * (8 * 7 + 11 * 10) + 2L * (24 * 2 + 11 * 3);
    assertEquals(macs, r.costPerSample().macs());
    assertEquals(35, r.costPerSample().networkEvaluations());
    assertEquals(16.0, r.costPerSample().counters().get("trunkReused"));
    assertEquals(11.0, r.costPerSample().counters().get("fullSteps"));
  }

  @Test
  void eulerWithoutCacheMatchesHandComputation() {
    // dx/dt = -x + 1 (class 0, no guidance), 4 full steps of 0.25 from x = 0:
    // 0 -> .25 -> .4375 -> .578125 -> .68359375
    FlashUSchedule s = FlashUSchedule.builder().setTotalSteps(4).optFullSteps(4).build();
    ScheduledEulerSampler.Result r = ScheduledEulerSampler.sample(new Recording(), s, Tensor.of(new float[] {0}, 1, 1),
        new int[] {0}, false);
    assertEquals(0.68359375f, r.samples().data()[0], 1e-7f);
    assertEquals(4, r.trunkComputed());
    // guidance s: v = v_u + s (v_c - v_u) = -x + s; with s = 2 constant: 0 -> .5 -> .875 -> 1.15625 -> 1.3671875
    FlashUSchedule g = FlashUSchedule.builder().setTotalSteps(4).optGuidance(GuidanceSchedule.constant(2)).build();
    r = ScheduledEulerSampler.sample(new Recording(), g, Tensor.of(new float[] {0}, 1, 1), new int[] {0}, true);
    assertEquals(1.3671875f, r.samples().data()[0], 1e-6f);
  }

  @Test
  void nanVelocityIsAClearError() {
    Recording f = new Recording();
    f.nan = true;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScheduledEulerSampler.sample(f, FlashUSchedule.builder().setTotalSteps(4).build(),
            Tensor.of(new float[] {0}, 1, 1), new int[] {0}, false));
    assertTrue(e.getMessage().contains("step 4") && e.getMessage().contains("row 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ScheduledEulerSampler.sample(f,
        FlashUSchedule.builder().setTotalSteps(4).build(), Tensor.of(new float[] {0, 1}, 1, 2), new int[] {0}, false));
  }

  @Test
  void splitGraphEqualsTheWholeGraph() {
    Graph g = GraphVelocityField.buildGraph(2, 3, 16, 5);
    Tensor x = Tensor.of(new float[] {0.3f, -1.2f, 2f, 0.5f}, 2, 2);
    int[] cls = {2, -1};
    Tensor z = GraphVelocityField.encode(x, 0.4, cls, 2, 3);
    assertArrayEquals(new float[] {0.3f, -1.2f, 0.4f, 0, 0, 1, 0, 2f, 0.5f, 0.4f, 0, 0, 0, 1}, z.data());
    float[] whole;
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      whole = ex.predict(z).data();
    }
    try (GraphVelocityField f = GraphVelocityField.of(g, g, 2, 3)) {
      Tensor h = f.trunk(NetworkChoice.FULL, x, 0.4, cls);
      assertEquals(16, h.shape().get(1));
      assertArrayEquals(whole, f.head(NetworkChoice.FULL, h, x, 0.4, cls).data(), 1e-5f);
      assertEquals(7 * 16 + 16 * 16, f.trunkCost(NetworkChoice.FULL).macs());
      assertEquals((16 + 7) * 2, f.headCost(NetworkChoice.FULL).macs());
    }
  }
}
