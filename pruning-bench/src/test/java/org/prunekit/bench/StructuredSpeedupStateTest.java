package org.prunekit.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.tensor.Tensor;

/**
 * Smoke tests of {@link StructuredSpeedupBenchmark}'s state: it builds, prunes, counts MACs, runs one
 * invocation on each engine with matching results and tears down. No timing is asserted.
 */
class StructuredSpeedupStateTest {

  // ResNet-8 (16/32/64) on 3x32x32, MACs per sample counted by hand (conv and linear only):
  // stem 16*27*1024; s1b1 two 16*144*1024; s2b1 conv1 32*144*256, conv2 32*288*256, proj 32*16*256;
  // s3b1 conv1 64*288*64, conv2 64*576*64, proj 64*32*64; fc 64*10.
  private static final long RESNET8_DENSE = 442_368L + 2 * 2_359_296L + 1_179_648L + 2_359_296L + 131_072L
      + 1_179_648L + 2_359_296L + 131_072L + 640L;
  // Every width halved (8/16/32): stem 8*27*1024; s1b1 two 8*72*1024; s2b1 16*72*256, 16*144*256,
  // 16*8*256; s3b1 32*144*64, 32*288*64, 32*16*64; fc 32*10.
  private static final long RESNET8_HALF = 221_184L + 2 * 589_824L + 294_912L + 589_824L + 32_768L
      + 294_912L + 589_824L + 32_768L + 320L;

  private static StructuredSpeedupBenchmark state(String model, double ratio, int batch, String engine) {
    StructuredSpeedupBenchmark b = new StructuredSpeedupBenchmark();
    b.model = model;
    b.channelRatio = ratio;
    b.batch = batch;
    b.engine = engine;
    b.setUp();
    return b;
  }

  @Test
  void resnet8AtHalfChannelsCutsMacsAsCountedByHand() {
    assertEquals(12_501_632L, RESNET8_DENSE);
    assertEquals(3_236_160L, RESNET8_HALF);
    StructuredSpeedupBenchmark b = state("resnet8", 0.5, 2, "djl");
    try {
      assertEquals(2 * RESNET8_DENSE, b.denseMacsPerCall());
      assertEquals(2 * RESNET8_HALF, b.macsPerCall());
      assertEquals(3.863, b.macReduction(), 1e-3);
      assertEquals(8, ((Conv) b.graph().node("stem").op()).outChannels());
      StructuredSpeedupBenchmark.MacCounters c = new StructuredSpeedupBenchmark.MacCounters();
      Tensor out = b.forward(c);
      assertArrayEquals(new int[] {2, 10}, out.shape().dims());
      assertEquals(-1, out.firstNonFinite());
      b.forward(c);
      assertEquals(2, c.forwards);
      assertEquals(2 * b.macsPerCall(), c.macs);
      c.reset();
      assertEquals(0, c.forwards);
      assertEquals(0, c.macs);
    } finally {
      b.tearDown();
    }
  }

  @Test
  void denseBaselineIsTheUnprunedModel() {
    StructuredSpeedupBenchmark b = state("resnet8", 0, 1, "ort");
    try {
      assertEquals(RESNET8_DENSE, b.macsPerCall());
      assertEquals(1.0, b.macReduction());
      assertEquals(StructuredSpeedupBenchmark.buildModel("resnet8").parameters().size(),
          b.graph().parameters().size());
    } finally {
      b.tearDown();
    }
  }

  @Test
  void bothEnginesComputeTheSamePrunedForward() {
    for (String model : new String[] {"resnet8w", "mobilenetv2"}) {
      StructuredSpeedupBenchmark djl = state(model, 0.5, 3, "djl");
      StructuredSpeedupBenchmark ort = state(model, 0.5, 3, "ort");
      try {
        assertTrue(djl.macReduction() > 1.5, model + " MAC reduction " + djl.macReduction());
        assertEquals(djl.macsPerCall(), ort.macsPerCall(), model);
        Tensor a = djl.forward(new StructuredSpeedupBenchmark.MacCounters());
        Tensor o = ort.forward(new StructuredSpeedupBenchmark.MacCounters());
        assertArrayEquals(new int[] {3, 10}, a.shape().dims(), model);
        assertArrayEquals(a.shape().dims(), o.shape().dims(), model);
        float scale = 0;
        for (float v : a.data()) {
          scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, model + " logits are all zero");
        for (int i = 0; i < a.size(); i++) {
          assertEquals(a.data()[i], o.data()[i], 1e-4f * Math.max(1f, scale), model + " logit " + i);
        }
      } finally {
        djl.tearDown();
        ort.tearDown();
      }
    }
  }

  @Test
  void unknownNamesAreRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StructuredSpeedupBenchmark.buildModel("resnet50"));
    assertTrue(e.getMessage().contains("resnet50"), e.getMessage());
    StructuredSpeedupBenchmark b = new StructuredSpeedupBenchmark();
    b.model = "resnet8";
    b.channelRatio = 0;
    b.batch = 1;
    b.engine = "tvm";
    e = assertThrows(IllegalArgumentException.class, b::setUp);
    assertTrue(e.getMessage().contains("tvm"), e.getMessage());
    assertEquals(null, b.graph(), "nothing is built for an unknown engine");
  }
}
