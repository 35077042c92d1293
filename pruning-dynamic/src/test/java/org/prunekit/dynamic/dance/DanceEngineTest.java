package org.prunekit.dynamic.dance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.dynamic.Controllers;
import org.prunekit.dynamic.InferenceCost;

class DanceEngineTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = DjlEnvironment.newManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static NDArray random(NDManager m, long seed, long... shape) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[(int) new Shape(shape).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return m.create(v, new Shape(shape));
  }

  @Test
  void gatedConvEqualsDenseConvOfMaskedInput() {
    try (NDManager m = manager.newSubManager()) {
      Conv3dGeometry g = new Conv3dGeometry(4, 6, 5, 5, 3, 3, 3, 3, 1, 1, 1);
      NDArray x = random(m, 1, 1, 4, 6, 5, 5);
      NDArray w = random(m, 2, 3, 4, 3, 3, 3);
      NDArray b = random(m, 3, 3);
      int[] kc = {0, 2, 3};
      int[] kt = {0, 2, 5};
      float[] cm = {1, 0, 1, 1};
      float[] tm = {1, 0, 1, 0, 0, 1};
      NDArray feat = x.abs().gte(0.5f).toType(DataType.FLOAT32, false);
      NDArray mask = feat.mul(m.create(cm).reshape(1, 4, 1, 1, 1)).mul(m.create(tm).reshape(1, 1, 6, 1, 1));
      NDArray ref = Conv3d.conv3d(x.mul(mask), w, b, new Shape(1, 1, 1), new Shape(1, 1, 1)).singletonOrThrow();
      NDArray xs = x.mul(feat).get(new NDIndex(":, {}", m.create(kc))).get(new NDIndex(":, :, {}", m.create(kt)));
      NDArray got = GatedConv3d.forward(xs, w, b, kc, kt, g);
      assertArrayEquals(ref.getShape().getShape(), got.getShape().getShape());
      float diff = ref.sub(got).abs().max().getFloat();
      assertTrue(diff < 1e-4f, "max difference " + diff);
      // every frame kept: plain conv3d on the channel-sliced input
      int[] allT = {0, 1, 2, 3, 4, 5};
      NDArray mask2 = m.create(cm).reshape(1, 4, 1, 1, 1);
      NDArray ref2 = Conv3d.conv3d(x.mul(mask2), w, b, new Shape(1, 1, 1), new Shape(1, 1, 1)).singletonOrThrow();
      NDArray got2 = GatedConv3d.forward(x.get(new NDIndex(":, {}", m.create(kc))), w, b, kc, allT, g);
      assertTrue(ref2.sub(got2).abs().max().getFloat() < 1e-4f);
      // executed MACs: conv2d over 3 frames x 3 slices + placement matmul
      assertEquals(3L * 3 * 3 * 3 * 9 * 25 + 6L * 9 * 3 * 25, GatedConv3d.executedMacs(g, 3, 3));
      assertEquals(Conv3dCost.dense(g).macs(), GatedConv3d.executedMacs(g, 4, 6));
    }
  }

  @Test
  void avaVariabilityMatchesSpecCases() {
    try (NDManager m = manager.newSubManager()) {
      NDArray equal = m.create(new float[] {2, -2, 2, 2}, new Shape(1, 4));
      assertEquals(0f, AvaLoss.variability(equal, 1e-6f).getFloat(), 1e-7f);
      NDArray spike = m.create(new float[] {0, 0, 0, 4}, new Shape(1, 4));
      assertEquals(3f / (1f + 1e-6f), AvaLoss.variability(spike, 1e-6f).getFloat(), 1e-5f);
      // loss = CE - λ * mean_l mean_b v_l; logits 0 for 2 classes -> CE = ln 2
      AvaLoss loss = new AvaLoss(0.5f, 1e-6f);
      NDArray logits = m.zeros(new Shape(1, 2));
      float l = loss.evaluate(new NDList(m.create(new float[] {1})), new NDList(logits, spike, equal)).getFloat();
      assertEquals((float) Math.log(2) - 0.5f * (3f + 0f) / 2f, l, 1e-4f);
      assertThrows(IllegalArgumentException.class, () -> new AvaLoss(-1f, 1e-6f));
      assertThrows(IllegalArgumentException.class, () -> new AvaLoss(Float.NaN, 1e-6f));
    }
  }

  static DanceNet smallNet(NDManager m) {
    ai.djl.engine.Engine.getInstance().setRandomSeed(42);
    DanceNet net = DanceNet.builder().setChannels(4, 8, 8).setNumClasses(4).build();
    net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 6, 16, 16));
    return net;
  }

  @Test
  void runnerMatchesMaskedReferenceAndCountsExactly() {
    try (NDManager m = manager.newSubManager()) {
      DanceNet net = smallNet(m);
      MovingDigits.Clips clips = MovingDigits.synthetic(2, 6, 16 + 10, 5);
      Shape cs = new Shape(1, 6, 16, 16);
      float[] clip = new float[(int) cs.size()];
      float[] src = clips.clip(0);
      for (int t = 0; t < 6; t++) {
        for (int r = 0; r < 16; r++) {
          System.arraycopy(src, t * 26 * 26 + (r + 5) * 26 + 5, clip, t * 256 + r * 16, 16);
        }
      }
      float[] mu = DanceTraining.runningMeans(net, new MovingDigits.Clips(clip, new int[] {0}, cs), 1, 1);
      // a channel threshold of 1.0 x the mean drops every below-average channel (at least one)
      List<LayerThresholds> th = List.of(new LayerThresholds(0.9f, 1.0f, 0.5f), new LayerThresholds(0.5f, 1.0f, 1.0f));
      try (DanceRunner runner = DanceRunner.builder().setNet(net).setClipShape(cs).setRunningMeans(mu).build()) {
        DanceRunner.Result dense = runner.dense(clip);
        DanceRunner.Result all = runner.gated(clip, List.of(LayerThresholds.KEEP_ALL, LayerThresholds.KEEP_ALL));
        assertArrayEquals(dense.logits(), all.logits(), 1e-5f);
        assertEquals(dense.cost().macs(), all.cost().macs());
        assertEquals(dense.cost().counters().get("zeroSkipMacs"), all.cost().counters().get("zeroSkipMacs"));
        DanceRunner.Result gated = runner.gated(clip, th);
        // reference: masks on the full tensors, dense convolutions; zero-skip count from Java
        ParameterStore ps = new ParameterStore(m, false);
        List<Conv3dGeometry> geoms = runner.geometries();
        NDArray x = m.create(clip, new Shape(1, 1, 6, 16, 16));
        long zeroSkip = Conv3dCost.exact(geoms.get(0), nonzero(x), false).macs() + DanceRunner.headMacs(net);
        NDArray a = net.stage(ps, 0, x, false);
        x = DanceNet.pool(a);
        for (int l = 1; l < 3; l++) {
          NDArray xm = x.mul(DanceGate.hardMask(x, th.get(l - 1), mu[l - 1]));
          zeroSkip += Conv3dCost.exact(geoms.get(l), nonzero(xm), false).macs();
          a = net.stage(ps, l, xm, false);
          x = net.poolAfter(l) ? DanceNet.pool(a) : a;
        }
        float[] ref = net.head(ps, x, false).toFloatArray();
        assertArrayEquals(ref, gated.logits(), 1e-4f);
        InferenceCost c = gated.cost();
        assertEquals((double) zeroSkip, c.counters().get("zeroSkipMacs"), 0.0);
        assertTrue(c.macs() < dense.cost().macs(), c + " vs " + dense.cost());
        assertEquals(1, c.networkEvaluations());
        assertTrue(c.counters().get("channelsKept") < 1.0, c.toString());
        assertTrue(c.counters().get("featureDensity") < 1.0, c.toString());
        assertEquals(dense.cost().macs(), (long) (double) c.counters().get("denseMacs"));
      }
    }
  }

  private static boolean[] nonzero(NDArray x) {
    float[] v = x.toFloatArray();
    boolean[] b = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i] != 0f;
    }
    return b;
  }

  @Test
  void badInputIsRejectedAndNothingStaysGated() {
    try (NDManager m = manager.newSubManager()) {
      DanceNet net = smallNet(m);
      Shape cs = new Shape(1, 6, 16, 16);
      assertThrows(IllegalArgumentException.class, () -> new LayerThresholds(-0.1f, 0, 0));
      assertThrows(IllegalArgumentException.class, () -> new LayerThresholds(0, Float.NaN, 0));
      assertThrows(IllegalArgumentException.class, () -> new LayerThresholds(0, 0, 17f));
      IllegalArgumentException fc = assertThrows(IllegalArgumentException.class, () -> DanceRunner.builder()
          .setNet(net).setClipShape(cs).setRunningMeans(1f, 1f).optGatedLayers("fc").build());
      assertTrue(fc.getMessage().contains("'fc'") && fc.getMessage().contains("Linear"), fc.getMessage());
      IllegalArgumentException c1 = assertThrows(IllegalArgumentException.class, () -> DanceRunner.builder()
          .setNet(net).setClipShape(cs).setRunningMeans(1f, 1f).optGatedLayers("conv1").build());
      assertTrue(c1.getMessage().contains("conv1"), c1.getMessage());
      assertThrows(IllegalArgumentException.class, () -> DanceRunner.builder()
          .setNet(net).setClipShape(cs).setRunningMeans(1f, Float.NaN).build());
      AapController ctl = new AapController(2);
      ctl.initialize(m, DataType.FLOAT32, new Shape(1, 2 * 4 + 6));
      float[] w0 = net.conv(1).getParameters().get("weight").getArray().toFloatArray();
      float[] clip = new float[(int) cs.size()];
      for (int i = 0; i < clip.length; i++) {
        clip[i] = (i % 7) * 0.1f;
      }
      try (DanceRunner runner = DanceRunner.builder().setNet(net).setClipShape(cs).setRunningMeans(0.1f, 0.1f)
          .optController(ctl).build()) {
        DanceRunner.Result before = runner.dense(clip);
        DanceRunner.Result gatedBefore = runner.gated(clip);
        float[] bad = clip.clone();
        bad[3] = Float.NaN;
        IllegalStateException nan = assertThrows(IllegalStateException.class, () -> runner.gated(bad));
        assertTrue(nan.getMessage().contains("not finite"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> runner.gated(clip, List.of(LayerThresholds.KEEP_ALL)));
        assertThrows(IllegalArgumentException.class, () -> runner.gated(new float[3]));
        // nothing stayed gated: same dense and gated outputs, weights untouched
        assertArrayEquals(before.logits(), runner.dense(clip).logits(), 0f);
        assertArrayEquals(gatedBefore.logits(), runner.gated(clip).logits(), 0f);
        assertArrayEquals(w0, net.conv(1).getParameters().get("weight").getArray().toFloatArray(), 0f);
      }
      assertThrows(IllegalArgumentException.class, () -> Conv3dGeometry.of("fc", net.linear(), 1, 1, 1, 1));
      assertThrows(IllegalArgumentException.class, () -> new AapController(2, 0f, 1f, 1f));
    }
  }

  @Test
  void conv2dKernelsGiveTheSameResults() {
    try (NDManager m = manager.newSubManager()) {
      DanceNet net = smallNet(m);
      Shape cs = new Shape(1, 6, 16, 16);
      float[] clip = new float[(int) cs.size()];
      SplittableRandom r = new SplittableRandom(9);
      for (int i = 0; i < clip.length; i++) {
        clip[i] = r.nextDouble() < 0.3 ? (float) r.nextDouble() : 0f;
      }
      List<LayerThresholds> th = List.of(new LayerThresholds(1.0f, 1.0f, 0.5f), new LayerThresholds(0.9f, 0.9f, 0.5f));
      try (DanceRunner a = DanceRunner.builder().setNet(net).setClipShape(cs).setRunningMeans(0.1f, 0.1f).build();
          DanceRunner b = DanceRunner.builder().setNet(net).setClipShape(cs).setRunningMeans(0.1f, 0.1f)
              .optConv2dKernels(true).build()) {
        assertArrayEquals(a.dense(clip).logits(), b.dense(clip).logits(), 1e-4f);
        DanceRunner.Result ga = a.gated(clip, th);
        DanceRunner.Result gb = b.gated(clip, th);
        assertArrayEquals(ga.logits(), gb.logits(), 1e-4f);
        assertEquals(ga.cost().counters().get("zeroSkipMacs"), gb.cost().counters().get("zeroSkipMacs"));
        // the decomposition also runs the placement matmul when all frames are kept
        Conv3dGeometry g = a.geometries().get(1);
        assertEquals(Conv3dCost.dense(g).macs() + (long) g.tOut() * g.t() * g.kT() * g.cOut() * g.hOut() * g.wOut(),
            GatedConv3d.executedMacs(g, g.cIn(), g.t(), true));
        assertTrue(b.denseMacs() > a.denseMacs());
      }
    }
  }

  @Test
  void providerIsRegistered() {
    assertEquals(DanceRunner.class, Controllers.byName("dance").controllerType());
  }
}
