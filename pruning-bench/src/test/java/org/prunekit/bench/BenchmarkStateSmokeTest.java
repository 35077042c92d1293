package org.prunekit.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Scope;

/**
 * Smoke tests: the benchmark state classes set up, run one invocation with correct results and
 * tear down. No timing is asserted here; speed is measured only in the JMH runs.
 */
class BenchmarkStateSmokeTest {

  @Test
  void maskedForwardStateCountsMacsRunsAndCloses() {
    MaskedForwardBenchmark b = new MaskedForwardBenchmark();
    b.sparsity = 0.9;
    b.batch = 2;
    b.setUp();
    try {
      assertEquals(2 * 1_218_048L, b.denseMacsPerCall());
      // LAYER scope prunes floor(0.9 n) of each weight; kept weights times output positions:
      // conv1 (144 - 129) * 784 + conv2 (4608 - 4147) * 196 + fc1 (200704 - 180633) + fc2 (1280 - 1152).
      long keptPerSample = 15L * 784 + 461L * 196 + 20_071L + 128L;
      assertEquals(122_315L, keptPerSample);
      assertEquals(2 * keptPerSample, b.effectiveMacsPerCall());
      for (String p : new String[] {"conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight"}) {
        assertTrue(b.graph().parameter(p).hasMask(), p + " should carry a mask");
      }
      MaskedForwardBenchmark.MacCounters c = new MaskedForwardBenchmark.MacCounters();
      Tensor out = b.forward(c);
      assertArrayEquals(new int[] {2, 10}, out.shape().dims());
      assertEquals(-1, out.firstNonFinite());
      out = b.forward(c);
      assertEquals(2 * b.denseMacsPerCall(), c.denseMacs);
      assertEquals(2 * b.effectiveMacsPerCall(), c.effectiveMacs);
      c.reset();
      assertEquals(0, c.denseMacs);
      assertEquals(0, c.effectiveMacs);
    } finally {
      GraphExecutor ex = b.executor();
      b.tearDown();
      assertNull(b.executor());
      assertThrows(IllegalStateException.class, () -> ex.predict(b.input()));
    }
  }

  @Test
  void denseBaselineIsNotPruned() {
    MaskedForwardBenchmark b = new MaskedForwardBenchmark();
    b.sparsity = 0;
    b.batch = 1;
    b.setUp();
    try {
      for (Parameter p : b.graph().parameters()) {
        assertFalse(p.hasMask(), p.qualifiedName() + " must not be masked in the dense baseline");
      }
      assertEquals(SmallCnn.DENSE_MACS_PER_SAMPLE, b.denseMacsPerCall());
      assertEquals(b.denseMacsPerCall(), b.effectiveMacsPerCall());
    } finally {
      b.tearDown();
    }
  }

  @Test
  void maskSelectionStateComputesRowMasksWithoutChangingTheGraph() {
    MaskSelectionBenchmark b = new MaskSelectionBenchmark();
    b.scope = Scope.ROW;
    b.sparsity = 0.5;
    b.rows = 8;
    b.columns = 10;
    b.setUp();
    float[] w = b.weight().value().data();
    double expected = 0;
    for (float v : w) {
      expected += Math.abs(v);
    }
    assertEquals(expected, b.baselineStreamingPass(), 1e-4 * expected);

    MaskSet full = b.magnitudeMask();
    Tensor mask = full.mask("layer.weight");
    float[] m = mask.data();
    for (int r = 0; r < 8; r++) {
      int kept = 0;
      float minKept = Float.POSITIVE_INFINITY;
      float maxPruned = 0;
      for (int c = 0; c < 10; c++) {
        float a = Math.abs(w[r * 10 + c]);
        if (m[r * 10 + c] == 1f) {
          kept++;
          minKept = Math.min(minKept, a);
        } else {
          maxPruned = Math.max(maxPruned, a);
        }
      }
      assertEquals(5, kept, "row " + r);
      assertTrue(maxPruned <= minKept, "row " + r + " pruned a larger weight than it kept");
    }
    assertTrue(b.selectOnly().mask("layer.weight").bitEquals(mask));
    assertEquals(Math.abs(w[3]), b.scoreOnly().data()[3]);
    float[] wm = b.wandaMask().data();
    assertArrayEquals(b.wandaMaskUnfused().mask("layer.weight").data(), wm, "fused and unfused Wanda masks differ");
    for (int r = 0; r < 8; r++) {
      int zeros = 0;
      for (int c = 0; c < 10; c++) {
        zeros += wm[r * 10 + c] == 0f ? 1 : 0;
      }
      assertEquals(5, zeros, "wanda row " + r);
    }
    assertFalse(b.weight().hasMask(), "computeMasks must not attach masks");
    b.tearDown();
    assertNull(b.weight());
    assertNull(b.graph());
  }

  @Test
  void absSumHandlesTheTailAfterEightWideBlocks() {
    float[] w = {1, -2, 3, -4, 5, -6, 7, -8, 9, -10};
    assertEquals(55f, MaskSelectionBenchmark.absSum(w));
    assertEquals(0f, MaskSelectionBenchmark.absSum(new float[0]));
  }
}
