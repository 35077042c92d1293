package org.prunekit.core.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;
import org.prunekit.core.tensor.Tensor;

class SopCounterTest {
  /** With beta 0 and threshold .5, a LIF layer fed 0/1 values emits exactly those values. */
  private static Lif relay(int t) {
    return new Lif(t, 0f, 0.5f, Lif.Reset.SUBTRACT, 25f);
  }

  /**
   * s[2 steps, 3] -> unfold -> relay lif -> fc1 (3 -> 2) -> lif -> fc2 (2 -> 1) -> mean; and a
   * "dense" layer reading the unfolded input directly (not spikes).
   */
  private static Graph toy() {
    Graph g = GraphBuilder.create(1).input("s", 2, 3)
        .node("unfold", new TimeEncode(2, TimeEncode.Mode.UNFOLD), "s")
        .node("in_spikes", relay(2), "unfold")
        .node("fc1", new Linear(3, 2, true), "in_spikes")
        .node("lif1", relay(2), "fc1")
        .node("fc2", new Linear(2, 1, false), "lif1")
        .node("rate", new TimeMean(2), "fc2").output()
        .node("dense", new Linear(3, 1, false), "unfold").output()
        .build();
    g.parameter("fc1.weight").setValue(Tensor.of(new float[] {1, 0, 2, 0, 3, -1}, 2, 3));
    g.parameter("fc1.weight").setMask(Tensor.of(new float[] {1, 1, 1, 1, 1, 0}, 2, 3)); // W[1,2] pruned
    g.parameter("fc1.bias").setValue(Tensor.of(new float[] {0, 0}, 2));
    g.parameter("fc2.weight").setValue(Tensor.of(new float[] {0.5f, 0}, 1, 2));
    g.parameter("dense.weight").setValue(Tensor.of(new float[] {1, 1, 1}, 1, 3));
    return g;
  }

  @Test
  void twoLayerToyWithHandSetSpikes() {
    // Sample 0 spikes: t0 = [1, 0, 1], t1 = [0, 1, 1]; sample 1 is silent.
    // fc1 kept fan-out per input: col0 1, col1 1, col2 1 (W[1,2] masked) -> 2 SOPs at t0, 2 at t1.
    // fc1 output: t0 = [3, 0], t1 = [2, 3] -> lif1 spikes t0 = [1, 0], t1 = [1, 1].
    // fc2 fan-out: col0 1, col1 0 (weight 0) -> 1 SOP at t0, 1 at t1.
    Graph g = toy();
    SopCounter sops = SopCounter.create(g);
    float[] s = {1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0}; // [B=2, T=2, 3]
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = DjlEnvironment.newManager()) {
      NDList in = new NDList(m.create(s, new ai.djl.ndarray.types.Shape(2, 2, 3)));
      ex.forward(in, List.of(sops)).close();
    }
    SopReport r = sops.report();
    LayerActivity fc1 = r.layer("fc1");
    assertTrue(fc1.spikeInput());
    assertEquals(2, fc1.samples());
    assertEquals(6, fc1.inputElements());
    assertArrayEquals(new long[] {2, 2}, fc1.nonZeroInputs());
    assertArrayEquals(new long[] {2, 2}, fc1.synapticOps());
    assertEquals(4.0 / 12, fc1.firingRate(), 1e-12);
    LayerActivity fc2 = r.layer("fc2");
    assertArrayEquals(new long[] {1, 2}, fc2.nonZeroInputs());
    assertArrayEquals(new long[] {1, 1}, fc2.synapticOps());
    LayerActivity dense = r.layer("dense");
    assertFalse(dense.spikeInput(), "the raw input is not a spike tensor");
    assertArrayEquals(new long[] {2, 2}, dense.synapticOps());
    assertEquals(6, r.totalSops(), "fc1 4 + fc2 2; the dense layer is not counted");
    assertEquals(3.0, r.sopsPerSample(), 1e-12);
    sops.reset();
    assertEquals(0, sops.report().totalSops());
    assertEquals(0, sops.report().layer("fc1").samples());
  }

  @Test
  void convolutionCountsOnlyKernelTapsThatMeetTheInput() {
    // 1 channel of length 3, kernel 3, padding 1, 2 output channels, all weights non-zero.
    // t0 spikes [1, 0, 1]: positions 0 and 2 each meet 2 taps per output channel -> 2 * 2 * 2 = 8.
    // t1 spikes [0, 1, 0]: position 1 meets all 3 taps per output channel -> 6.
    Graph g = GraphBuilder.create(2).input("s", 2, 1, 3)
        .node("unfold", new TimeEncode(2, TimeEncode.Mode.UNFOLD), "s")
        .node("spk", relay(2), "unfold")
        .node("conv", Conv.simple(1, 1, 2, 3, 1), "spk")
        .build();
    float[] w = new float[6];
    java.util.Arrays.fill(w, 0.1f);
    g.parameter("conv.weight").setValue(Tensor.of(w, 2, 1, 3));
    SopCounter sops = SopCounter.create(g);
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = DjlEnvironment.newManager()) {
      NDList in = new NDList(m.create(new float[] {1, 0, 1, 0, 1, 0}, new ai.djl.ndarray.types.Shape(1, 2, 1, 3)));
      ex.forward(in, List.of(sops)).close();
    }
    assertArrayEquals(new long[] {8, 6}, sops.report().layer("conv").synapticOps());
    assertEquals(14, sops.report().totalSops());
  }

  @Test
  void layoutTracksStepsAndSpikesAndRejectsMismatchedSteps() {
    TemporalLayout l = TemporalLayout.of(toy());
    assertEquals(1, l.timesteps("s"));
    assertEquals(2, l.timesteps("fc1"));
    assertEquals(1, l.timesteps("rate"));
    assertTrue(l.isSpikes("lif1"));
    assertFalse(l.isSpikes("fc2"));
    assertFalse(l.isSpikes("unfold"));
    assertEquals(2, l.maxTimesteps());
    // 4 steps read as 2: shapes fit (8 rows divide by 2), the layout does not
    Graph bad = GraphBuilder.create(1).input("x", 3)
        .node("enc", new TimeEncode(4, TimeEncode.Mode.REPEAT), "x")
        .node("lif", Lif.of(2, 0.9f), "enc").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemporalLayout.of(bad));
    assertTrue(e.getMessage().contains("'lif'") && e.getMessage().contains("carries 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SopCounter.create(bad));
  }
}
