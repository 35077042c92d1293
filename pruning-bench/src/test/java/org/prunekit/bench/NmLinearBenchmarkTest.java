package org.prunekit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link NmLinearBenchmark} draws true N:M weights and its three engines compute the same product. */
class NmLinearBenchmarkTest {
  @Test
  void maskKeepsExactlyNOfEveryGroup() {
    float[][] wm = NmLinearBenchmark.nmWeight(5, 16, 2, 8, 3);
    for (int r = 0; r < 5; r++) {
      for (int g = 0; g < 16; g += 8) {
        int kept = 0;
        for (int j = 0; j < 8; j++) {
          float mk = wm[1][r * 16 + g + j];
          kept += (int) mk;
          if (mk == 0f) {
            assertEquals(0f, wm[0][r * 16 + g + j], "masked weight must be zero");
          }
        }
        assertEquals(2, kept, "row " + r + " group " + g / 8);
      }
    }
  }

  @Test
  void enginesAgree() {
    for (String pattern : new String[] {"2:4", "1:4"}) {
      for (int batch : new int[] {1, 8}) {
        NmLinearBenchmark.Layer l = new NmLinearBenchmark.Layer();
        l.pattern = pattern;
        l.batch = batch;
        l.dim = 64;
        l.setUp();
        NmLinearBenchmark b = new NmLinearBenchmark();
        try {
          float[] nm = b.nm(l).clone();
          float[] csr = b.csr(l).clone();
          float[] djl;
          try (ai.djl.ndarray.NDArray y = l.xDjl.matMul(l.wT)) {
            djl = y.toFloatArray();
          }
          for (int i = 0; i < nm.length; i++) {
            assertEquals(djl[i], nm[i], 1e-4, pattern + " b" + batch + " nm " + i);
            assertEquals(djl[i], csr[i], 1e-4, pattern + " b" + batch + " csr " + i);
          }
        } finally {
          l.tearDown();
        }
      }
    }
  }
}
