package org.prunekit.dynamic.skip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.core.zoo.VitConfig;
import org.prunekit.dynamic.token.ClsVit;
import org.prunekit.dynamic.token.TransformerModel;
import org.prunekit.dynamic.token.TransformerRunner;

class LayerSkipperTest {
  private static final VitConfig C = VitConfig.builder().optInput(1, 8).optPatchSize(4).optDim(8).optDepth(3)
      .optHeads(2, 2).optMlpDim(16).optClasses(3).optSeed(11).build();

  private static Tensor[] inputs(int n, long seed) {
    Random r = new Random(seed);
    float[] d = new float[n * 64];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextGaussian();
    }
    return ClsVit.inputs(new Tensor(new Shape(n, 1, 8, 8), d), C);
  }

  /** The model with block 1 (blk2) made the identity: its attention output and MLP output are zero. */
  private static TransformerModel withIdentityBlock() {
    TransformerModel m = ClsVit.build(C);
    for (String p : new String[] {"blk2_attn.o_weight", "blk2_attn.o_bias", "blk2_fc2.weight", "blk2_fc2.bias"}) {
      Parameter q = m.encoder().parameter(p);
      q.setValue(Tensor.zeros(q.shape()));
    }
    return m;
  }

  @Test
  void importanceHandValues() {
    // cos 1 and 1/sqrt2 -> 1 - (1 + 0.70710678) / 2
    float[][] in = {{1, 0}, {0, 1}};
    float[][] out = {{2, 0}, {1, 1}};
    double want = 1 - (1 + Math.sqrt(0.5)) / 2;
    assertEquals(want, BlockImportance.of(in, out), 1e-12);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray a = m.create(new float[] {1, 0, 0, 1}, new ai.djl.ndarray.types.Shape(1, 2, 2));
      NDArray b = m.create(new float[] {2, 0, 1, 1}, new ai.djl.ndarray.types.Shape(1, 2, 2));
      assertEquals(want, BlockImportance.of(a, b), 1e-6);
      assertEquals(0.0, BlockImportance.of(a, a), 1e-6);
      // opposite vectors: cos -1 -> importance 2
      assertEquals(2.0, BlockImportance.of(a, a.neg()), 1e-6);
    }
  }

  @Test
  void leastImportantBreaksTiesByLowerIndex() {
    assertEquals(Set.of(1, 3), LayerSkipper.leastImportant(new double[] {0.5, 0.1, 0.3, 0.1}, 2));
    assertEquals(5, LayerSkipper.skipCountFor(28, 0.2)); // spec: 28 layers x 0.2 -> 5
  }

  @Test
  void identityBlockIsSkippedBetweenRecalculations() {
    TransformerModel m = withIdentityBlock();
    Tensor[] in = inputs(2, 1);
    try (LayerSkipper s = LayerSkipper.builder().setModel(m).setSkipCount(1).optPeriod(3).build()) {
      Tensor dense = s.runner().predict(in);
      LayerSkipper.Result r1 = s.run(in);
      assertTrue(r1.recalculated());
      assertEquals(List.of(), r1.skipped());
      assertEquals(0.0, r1.importance()[1], 1e-6);
      assertTrue(r1.importance()[0] > 1e-3 && r1.importance()[2] > 1e-3);
      assertArrayEquals(dense.data(), r1.output().data(), 1e-6f);
      for (int call = 2; call <= 3; call++) {
        LayerSkipper.Result r = s.run(in);
        assertFalse(r.recalculated());
        assertEquals(List.of(1), r.skipped());
        assertArrayEquals(dense.data(), r.output().data(), 1e-5f); // skipping the identity changes nothing
        assertEquals(1.0, r.cost().counters().get("layersSkipped"));
      }
      assertTrue(s.run(in).recalculated()); // call 4 = 1 + period
      assertFalse(s.run(in).recalculated());
    }
  }

  @Test
  void skippedBlocksCostNothing() {
    // block(5) = 512*5 + 16*25 = 2960 MACs; prefix 640; head 24; scoring 3 * 5 * 8 * 3 = 360.
    try (LayerSkipper s = LayerSkipper.builder().setModel(ClsVit.build(C)).setSkipCount(2).optPeriod(2).build()) {
      Tensor[] in = inputs(1, 2);
      LayerSkipper.Result r1 = s.run(in);
      assertEquals(640 + 3 * 2960 + 24 + 360, r1.cost().macs());
      LayerSkipper.Result r2 = s.run(in);
      assertEquals(2, r2.skipped().size());
      assertEquals(640 + 2960 + 24, r2.cost().macs());
      assertEquals(LayerSkipper.leastImportant(r1.importance(), 2), Set.copyOf(r2.skipped()));
      // the skipped call really ran only the remaining block
      try (TransformerRunner run = TransformerRunner.create(ClsVit.build(C)); NDManager call = run.newCallManager()) {
        NDArray x = run.embed(run.toEngine(call, in));
        for (int i = 0; i < 3; i++) {
          if (!r2.skipped().contains(i)) {
            x = run.block(i, x, null);
          }
        }
        assertArrayEquals(TensorConversions.fromDjl(run.finish(x)).data(), r2.output().data(), 1e-5f);
      }
    }
  }

  @Test
  void badSettingsGiveClearErrors() {
    TransformerModel m = ClsVit.build(C);
    for (int k : new int[] {-1, 3}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LayerSkipper.builder().setModel(m).setSkipCount(k).build());
      assertTrue(e.getMessage().contains("skip count must be in [0, 2]"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerSkipper.builder().setModel(m).setSkipCount(1).optPeriod(0).build());
    assertTrue(e.getMessage().contains("period must be >= 1"), e.getMessage());
  }

  @Test
  void failedCallLeavesStateAndModelUnchanged() {
    TransformerModel m = ClsVit.build(C);
    float[] before = m.encoder().parameter("blk1_fc1.weight").value().data().clone();
    try (LayerSkipper s = LayerSkipper.builder().setModel(m).setSkipCount(1).optPeriod(2).build()) {
      Tensor[] in = inputs(1, 3);
      assertThrows(IllegalArgumentException.class, () -> s.run(in[0]));
      assertTrue(s.run(in).recalculated()); // the failed call did not count
    }
    assertArrayEquals(before, m.encoder().parameter("blk1_fc1.weight").value().data());
  }
}
