package org.prunekit.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prunekit.core.graph.Parameter;

class SparseLinearTest {
  private static final double TOL = 1e-4;

  @Test
  void handComputedBatchOfTwo() {
    // W = [[1, 0, 2], [0, 0, 0], [0, -1, 0]] after masking, b = [0.5, 1, -1]
    float[] w = {1, 7, 2, 3, 4, 5, 0, -1, 9};
    float[] mask = {1, 0, 1, 0, 0, 0, 0, 1, 0};
    Parameter p = SparseFixtures.weight(w, mask, 3, 3);
    for (KernelMode mode : modes()) {
      try (SparseLinear l = SparseLinear.builder().setWeight(p).optBias(new float[] {0.5f, 1f, -1f})
          .optKernel(mode).build()) {
        float[] y = new float[6];
        l.forward(new float[] {1, 2, 3, -1, 0, 4}, 2, y);
        // sample 0: 1 + 6 + .5, 0 + 1, -2 - 1; sample 1: -1 + 8 + .5, 1, 0 - 1
        assertArrayEquals(new float[] {7.5f, 1f, -3f, 7.5f, 1f, -1f}, y, 1e-6f, mode.toString());
        float[] y1 = new float[3];
        l.forward(new float[] {1, 2, 3}, 1, y1);
        assertArrayEquals(new float[] {7.5f, 1f, -3f}, y1, 1e-6f);
      }
    }
  }

  @ParameterizedTest(name = "{0}x{1} sparsity {2} batch {3}")
  @CsvSource({
    "37, 29, 0.5, 1", "37, 29, 0.5, 8", "37, 29, 0.5, 64",
    "131, 70, 0.7, 1", "131, 70, 0.7, 8", "131, 70, 0.7, 64",
    "257, 67, 0.9, 1", "257, 67, 0.9, 8", "257, 67, 0.9, 64",
    "1000, 33, 0.95, 1", "1000, 33, 0.95, 8", "1000, 33, 0.95, 64",
    "100, 50, 0.9, 3", "64, 48, 0.7, 13", "19, 23, 0.5, 17"})
  void matchesDenseReference(int in, int out, double sparsity, int batch) {
    SplittableRandom rng = new SplittableRandom(in * 31L + out + batch);
    float[] w = SparseFixtures.uniform(rng, out * in, 1.0);
    float[] mask = SparseFixtures.mask(rng, out, in, sparsity, 0, out / 2);
    float[] bias = SparseFixtures.uniform(rng, out, 1.0);
    float[] x = SparseFixtures.uniform(rng, batch * in, 1.0);
    double[] ref = SparseFixtures.reference(x, batch, w, mask, bias, out, in);
    Parameter p = SparseFixtures.weight(w, mask, out, in);
    float[] first = null;
    for (KernelMode mode : modes()) {
      for (int threads : new int[] {1, 2}) {
        try (SparseLinear l = SparseLinear.builder().setWeight(p).optBias(bias).optKernel(mode).optThreads(threads)
            .build()) {
          assertEquals(mode, l.kernel());
          float[] y = new float[batch * out];
          l.forward(x, batch, y);
          for (int i = 0; i < y.length; i++) {
            assertEquals(ref[i], y[i], TOL * Math.max(1, Math.abs(ref[i])), mode + " threads " + threads + " at " + i);
          }
          // Empty rows 0 and out/2 hold exactly the bias.
          assertEquals(bias[0], y[0]);
          assertEquals(bias[out / 2], y[(batch - 1) * out + out / 2]);
          if (first == null) {
            first = y;
          }
        }
      }
    }
  }

  @Test
  void threadCountsGiveIdenticalResults() {
    SplittableRandom rng = new SplittableRandom(3);
    int in = 300;
    int out = 200;
    float[] w = SparseFixtures.uniform(rng, out * in, 1.0);
    float[] mask = SparseFixtures.mask(rng, out, in, 0.8);
    float[] x = SparseFixtures.uniform(rng, 8 * in, 1.0);
    Parameter p = SparseFixtures.weight(w, mask, out, in);
    for (int batch : new int[] {1, 8}) {
      float[] y1 = new float[batch * out];
      float[] y2 = new float[batch * out];
      try (SparseLinear a = SparseLinear.builder().setWeight(p).optThreads(1).build();
          SparseLinear b = SparseLinear.builder().setWeight(p).optThreads(2).build()) {
        assertEquals(2, b.threads());
        a.forward(x, batch, y1);
        b.forward(x, batch, y2);
      }
      // Each row is computed by the same code whatever the split, so the bits agree.
      assertArrayEquals(y1, y2);
    }
  }

  @Test
  void vectorAndScalarAgree() {
    org.junit.jupiter.api.Assumptions.assumeTrue(VectorSupport.available(), "Vector API not available");
    SplittableRandom rng = new SplittableRandom(11);
    int in = 515;
    int out = 77;
    float[] w = SparseFixtures.uniform(rng, out * in, 1.0);
    float[] mask = SparseFixtures.mask(rng, out, in, 0.9);
    Parameter p = SparseFixtures.weight(w, mask, out, in);
    for (int batch : new int[] {2, 8, 16, 40, 64}) {
      float[] x = SparseFixtures.uniform(rng, batch * in, 1.0);
      float[] yv = new float[batch * out];
      float[] ys = new float[batch * out];
      try (SparseLinear v = SparseLinear.builder().setWeight(p).optKernel(KernelMode.VECTOR).build();
          SparseLinear s = SparseLinear.builder().setWeight(p).optKernel(KernelMode.SCALAR).build()) {
        v.forward(x, batch, yv);
        s.forward(x, batch, ys);
      }
      assertArrayEquals(ys, yv, 1e-4f, "batch " + batch);
    }
  }

  @Test
  void oneByOneConvolutionChannels() {
    SplittableRandom rng = new SplittableRandom(5);
    int in = 12;
    int out = 9;
    int pixels = 21;
    float[] w = SparseFixtures.uniform(rng, out * in, 1.0);
    float[] mask = SparseFixtures.mask(rng, out, in, 0.6);
    float[] bias = SparseFixtures.uniform(rng, out, 1.0);
    float[] x = SparseFixtures.uniform(rng, 2 * in * pixels, 1.0);
    for (KernelMode mode : modes()) {
      try (SparseLinear l = SparseLinear.builder().setWeight(SparseFixtures.weight(w, mask, out, in)).optBias(bias)
          .optKernel(mode).optThreads(2).build()) {
        float[] y = new float[2 * out * pixels];
        l.forwardChannels(x, in * pixels, pixels, y, out * pixels); // second sample only
        for (int o = 0; o < out; o++) {
          for (int q = 0; q < pixels; q++) {
            double s = bias[o];
            for (int i = 0; i < in; i++) {
              s += (double) w[o * in + i] * mask[o * in + i] * x[in * pixels + i * pixels + q];
            }
            assertEquals(s, y[out * pixels + o * pixels + q], TOL, mode + " o " + o + " p " + q);
          }
        }
        assertEquals(0f, y[0]); // first sample untouched
      }
    }
  }

  @Test
  void onePixelConvolutionAtAnOffsetReadsItsOwnSample() {
    // pixels == 1 takes the batch-1 row kernels; CSR copies the sample so that x is indexed from 0.
    SplittableRandom rng = new SplittableRandom(6);
    int in = 8;
    int out = 5;
    float[] w = SparseFixtures.uniform(rng, out * in, 1.0);
    float[] mask = new float[out * in]; // 2:4: keep positions 1 and 3 of every group of four
    for (int i = 0; i < mask.length; i++) {
      mask[i] = i % 2;
    }
    float[] x = SparseFixtures.uniform(rng, 3 * in, 1.0);
    for (boolean nm : new boolean[] {false, true}) {
      SparseLinear.Builder b = SparseLinear.builder().setWeight(SparseFixtures.weight(w, mask, out, in));
      try (SparseLinear l = (nm ? b.optNm(2, 4) : b).build()) {
        float[] y = new float[3 * out];
        l.forwardChannels(x, 2 * in, 1, y, out); // third sample into the second output slot
        for (int o = 0; o < out; o++) {
          double s = 0;
          for (int i = 0; i < in; i++) {
            s += (double) w[o * in + i] * mask[o * in + i] * x[2 * in + i];
          }
          assertEquals(s, y[out + o], TOL, (nm ? "N:M" : "CSR") + " o " + o);
          assertEquals(0f, y[o]);
        }
      }
    }
  }

  @Test
  void nmFormatMatchesReference() {
    // 2:4 (two slots per group), 1:4 and 3:8 (one and three): each has its own kernel branch.
    for (int[] nm : new int[][] {{2, 4}, {1, 4}, {3, 8}}) {
      int n = nm[0];
      int m = nm[1];
      SplittableRandom rng = new SplittableRandom(9);
      int in = 38; // not a multiple of 4 or 8: the last group is shorter
      int out = 21;
      float[] w = SparseFixtures.uniform(rng, out * in, 1.0);
      float[] mask = new float[out * in];
      for (int r = 0; r < out; r++) {
        for (int g = 0; g * m < in; g++) {
          int width = Math.min(m, in - g * m);
          for (int j = 0; j < n; j++) { // up to n kept (duplicates allowed: fewer kept is valid N:M)
            mask[r * in + g * m + rng.nextInt(width)] = 1f;
          }
        }
      }
      float[] bias = SparseFixtures.uniform(rng, out, 1.0);
      for (int batch : new int[] {1, 8, 64}) {
        float[] x = SparseFixtures.uniform(rng, batch * in, 1.0);
        double[] ref = SparseFixtures.reference(x, batch, w, mask, bias, out, in);
        for (KernelMode mode : modes()) {
          try (SparseLinear l = SparseLinear.builder().setWeight(SparseFixtures.weight(w, mask, out, in)).optNm(n, m)
              .optBias(bias).optKernel(mode).optThreads(2).build()) {
            assertTrue(l.weights() instanceof NmMatrix);
            float[] y = new float[batch * out];
            l.forward(x, batch, y);
            for (int i = 0; i < y.length; i++) {
              assertEquals(ref[i], y[i], TOL, n + ":" + m + " " + mode + " batch " + batch + " at " + i);
            }
          }
        }
      }
    }
  }

  @Test
  void rejectsBadShapes() {
    Parameter p = SparseFixtures.weight(new float[6], null, 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparseLinear.builder().setWeight(p).optBias(new float[3]).build());
    assertTrue(e.getMessage().contains("fc.weight"), e.getMessage());
    try (SparseLinear l = SparseLinear.builder().setWeight(p).build()) {
      e = assertThrows(IllegalArgumentException.class, () -> l.forward(new float[5], 2, new float[4]));
      assertTrue(e.getMessage().contains("needs 6"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> l.forward(new float[3], 0, new float[2]));
    }
    Parameter notNm = SparseFixtures.weight(new float[] {1, 1, 1, 1, 1, 1}, null, 2, 3);
    e = assertThrows(IllegalArgumentException.class, () -> SparseLinear.builder().setWeight(notNm).optNm(1, 2).build());
    assertTrue(e.getMessage().startsWith("parameter 'fc.weight'"), e.getMessage());
  }

  static KernelMode[] modes() {
    return VectorSupport.available() ? new KernelMode[] {KernelMode.SCALAR, KernelMode.VECTOR}
        : new KernelMode[] {KernelMode.SCALAR};
  }
}
