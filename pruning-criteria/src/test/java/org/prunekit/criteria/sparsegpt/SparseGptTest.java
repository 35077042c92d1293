package org.prunekit.criteria.sparsegpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ThresholdMode;
import org.prunekit.criteria.pattern.NmPattern;

/** Spec B8: hand-computed cases, the H = I reduction, reconstruction error, N:M, dead inputs. */
class SparseGptTest {
  static final SparseGpt NO_DAMP = SparseGpt.builder().optPercDamp(0).build();

  static double[] identity(int n, double c) {
    double[] h = new double[n * n];
    for (int i = 0; i < n; i++) {
      h[i * n + i] = c;
    }
    return h;
  }

  @Test
  void identityHessianIsMagnitudePruningOverTheBlockWithoutUpdate() {
    float[] w = {4, 3, 0.5f, 0.6f, 1, 2, 0.7f, 6};
    for (double c : new double[] {1, 3.7}) {
      SparseGptResult r = SparseGpt.defaults().prune("fc", Tensor.of(w, 2, 4), identity(4, c), 0.5);
      // one block over the whole 2x4 weight: the four smallest |w| (0.5, 0.6, 0.7, 1) go
      assertArrayEquals(new float[] {1, 1, 0, 0, 0, 1, 0, 1}, r.mask().data());
      assertArrayEquals(new float[] {4, 3, 0, 0, 0, 2, 0, 6}, r.weight().data()); // survivors bit-identical
      assertEquals(0, r.deadColumns().length);
    }
    // blocks of 2 columns: magnitude per block, {4,3,1,2} loses 1 and 2, {0.5,0.6,0.7,6} loses 0.5 and 0.6
    SparseGptResult b = SparseGpt.builder().optBlockSize(2).build().prune("fc", Tensor.of(w, 2, 4), identity(4, 1),
        0.5);
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 1, 1}, b.mask().data());
    assertArrayEquals(new float[] {4, 3, 0, 0, 0, 0, 0.7f, 6}, b.weight().data());
  }

  @Test
  void handComputedCompensationOnTwoColumns() {
    // H = [[2,1],[1,2]], no dampening: H^-1 = [[2,-1],[-1,2]]/3, U = [[sqrt(2/3), -1/sqrt 6], [0, sqrt(1/2)]]
    double[] h = {2, 1, 1, 2};
    // W = [1, 0.9]: scores w^2/U_jj^2 = [1 * 3/2, 0.81 * 2] = [1.5, 1.62], so w0 goes (magnitude would drop w1)
    SparseGptResult r = NO_DAMP.prune("fc", Tensor.of(new float[] {1, 0.9f}, 1, 2), h, 0.5);
    assertArrayEquals(new float[] {0, 1}, r.mask().data());
    // err = 1 / sqrt(2/3); w1 -= err * (-1/sqrt 6) = 0.9 + 0.5 (the OBS update w1 + (H_10/H_11) w0)
    assertEquals(1.4f, r.weight().data()[1], 1e-6f);
    assertEquals(0f, r.weight().data()[0]);
    assertEquals(0.75, r.rowLosses()[0], 1e-7); // (1)^2 / (2/3) / 2
  }

  @Test
  void handComputedPropagationAcrossBlocksOfOneColumn() {
    double[] h = {2, 1, 1, 2};
    float[] w = {1, 1.2f, 2, -0.3f};
    SparseGptResult r = SparseGpt.builder().optPercDamp(0).optBlockSize(1).build().prune("fc",
        Tensor.of(w, 2, 2), h, 0.5);
    // block 0 (column 0): scores [1.5, 6] -> prune W_00; its error moves W_01 from 1.2 to 1.7
    // block 1 (column 1): scores [1.7^2 * 2 = 5.78, 0.09 * 2 = 0.18] -> prune W_11
    assertArrayEquals(new float[] {0, 1, 1, 0}, r.mask().data());
    assertArrayEquals(new float[] {0, 1.7f, 2, 0}, r.weight().data(), 1e-6f);
    assertArrayEquals(new double[] {0.75, 0.09}, r.rowLosses(), 1e-7);
  }

  @Test
  void hessianScaleDoesNotChangeTheResult() {
    SplittableRandom rnd = new SplittableRandom(3);
    HessianAccumulator acc = new HessianAccumulator("fc", 12);
    acc.add(Tensor.of(correlated(rnd, 64, 12), 64, 12));
    double[] h = acc.hessian();
    double[] h5 = h.clone();
    for (int i = 0; i < h5.length; i++) {
      h5[i] *= 5;
    }
    Tensor w = Tensor.of(randn(rnd, 6 * 12), 6, 12);
    SparseGptResult a = SparseGpt.defaults().prune("fc", w, h, 0.5);
    SparseGptResult b = SparseGpt.defaults().prune("fc", w, h5, 0.5);
    assertArrayEquals(a.mask().data(), b.mask().data());
    assertArrayEquals(a.weight().data(), b.weight().data(), 1e-5f);
  }

  @Test
  void compensationLowersReconstructionErrorBelowMagnitudeAndBelowPlainMasking() {
    SplittableRandom rnd = new SplittableRandom(11);
    int tokens = 256;
    int in = 16;
    int out = 8;
    float[] x = correlated(rnd, tokens, in);
    HessianAccumulator acc = new HessianAccumulator("fc", in);
    acc.add(Tensor.of(x, tokens, in));
    float[] w = randn(rnd, out * in);
    SparseGptResult r = SparseGpt.defaults().prune("fc", Tensor.of(w, out, in), acc, 0.5);
    assertEquals(out * in / 2, r.prunedCount());
    // magnitude at the same sparsity: the 64 smallest |w| of the layer
    float[] mag = magnitudeMasked(w, out * in / 2);
    float[] sameMask = w.clone();
    for (int i = 0; i < w.length; i++) {
      sameMask[i] *= r.mask().data()[i];
    }
    double eGpt = reconstructionError(x, w, r.weight().data(), tokens, in, out);
    double eMag = reconstructionError(x, w, mag, tokens, in, out);
    double eMask = reconstructionError(x, w, sameMask, tokens, in, out);
    assertTrue(eGpt < eMag, "SparseGPT " + eGpt + " vs magnitude " + eMag);
    assertTrue(eGpt < eMask, "SparseGPT " + eGpt + " vs its mask without update " + eMask);
    assertTrue(eGpt < 0.9 * eMag, "compensation should matter on correlated inputs: " + eGpt + " vs " + eMag);
  }

  @Test
  void nmPatternIsExactPerGroupAndUsesTheUpdatedWeights() {
    SplittableRandom rnd = new SplittableRandom(5);
    int in = 16;
    HessianAccumulator acc = new HessianAccumulator("fc", in);
    acc.add(Tensor.of(correlated(rnd, 40, in), 40, in));
    for (int blockSize : new int[] {128, 8, 4}) {
      for (NmPattern p : new NmPattern[] {NmPattern.keep(2, 4), NmPattern.fromReference("1:4")}) {
        SparseGptResult r = SparseGpt.builder().optBlockSize(blockSize).build().prune("fc",
            Tensor.of(randn(rnd, 6 * in), 6, in), acc, p);
        float[] m = r.mask().data();
        float[] v = r.weight().data();
        for (int row = 0; row < 6; row++) {
          for (int g = 0; g < in; g += p.groupM()) {
            int zeros = 0;
            for (int j = g; j < g + p.groupM(); j++) {
              int i = row * in + j;
              if (m[i] == 0f) {
                zeros++;
                assertEquals(0f, v[i]);
              } else {
                assertTrue(v[i] != 0f);
              }
            }
            assertEquals(p.prunedN(), zeros, "row " + row + " group " + g + " block " + blockSize + " " + p);
          }
        }
      }
    }
  }

  @Test
  void nmWithIdentityHessianKeepsTheLargestPerGroup() {
    // spec B7's example row [4,1,3,2 | 0.1,0.2,0.3,0.4] keeps {4,3} and {0.3,0.4}
    float[] w = {4, 1, 3, 2, 0.1f, 0.2f, 0.3f, 0.4f};
    SparseGptResult r = SparseGpt.defaults().prune("fc", Tensor.of(w, 1, 8), identity(8, 2), NmPattern.keep(2, 4));
    assertArrayEquals(new float[] {1, 0, 1, 0, 0, 0, 1, 1}, r.mask().data());
    assertArrayEquals(new float[] {4, 0, 3, 0, 0, 0, 0.3f, 0.4f}, r.weight().data());
  }

  @Test
  void deadInputColumnsAreZeroedAndDoNotBreakTheFactorisation() {
    SplittableRandom rnd = new SplittableRandom(8);
    int in = 6;
    float[] x = correlated(rnd, 30, in);
    for (int t = 0; t < 30; t++) {
      x[t * in + 2] = 0;
      x[t * in + 5] = 0;
    }
    HessianAccumulator acc = new HessianAccumulator("fc", in);
    acc.add(Tensor.of(x, 30, in));
    float[] w = randn(rnd, 4 * in);
    SparseGptResult r = NO_DAMP.prune("fc", Tensor.of(w, 4, in), acc, 0.25);
    assertArrayEquals(new int[] {2, 5}, r.deadColumns());
    for (int row = 0; row < 4; row++) {
      assertEquals(0f, r.weight().data()[row * in + 2]);
      assertEquals(0f, r.weight().data()[row * in + 5]);
    }
    // floor(0.25 * 24) = 6 pruned, all among the 8 dead entries (they score 0)
    assertEquals(6, r.prunedCount());
    for (int i = 0; i < r.mask().size(); i++) {
      if (r.mask().data()[i] == 0f) {
        assertTrue(i % in == 2 || i % in == 5, "pruned a live entry at " + i);
      }
    }
    for (float v : r.weight().data()) {
      assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void singularHessianIsHandledByDampening() {
    SplittableRandom rnd = new SplittableRandom(2);
    HessianAccumulator acc = new HessianAccumulator("fc", 8);
    acc.add(Tensor.of(randn(rnd, 3 * 8), 3, 8)); // rank 3 of 8: singular
    Tensor w = Tensor.of(randn(rnd, 4 * 8), 4, 8);
    SparseGptResult r = SparseGpt.defaults().prune("fc", w, acc, 0.5);
    assertEquals(16, r.prunedCount());
    for (float v : r.weight().data()) {
      assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void exactAndReferenceCountsAtZeroSparsity() {
    float[] w = {4, 3, 0.5f, 0.6f, 1, 2, 0.7f, 6};
    SparseGptResult exact = SparseGpt.defaults().prune("fc", Tensor.of(w, 2, 4), identity(4, 1), 0.0);
    assertEquals(0, exact.prunedCount());
    assertArrayEquals(w, exact.weight().data());
    // the reference's "<= value at sorted index floor(s n)" prunes the block minimum even at s = 0
    SparseGptResult ref = SparseGpt.builder().optThresholdMode(ThresholdMode.REFERENCE).build().prune("fc",
        Tensor.of(w, 2, 4), identity(4, 1), 0.0);
    assertArrayEquals(new float[] {1, 1, 0, 1, 1, 1, 1, 1}, ref.mask().data());
  }

  // ---- helpers ----

  static float[] randn(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) gaussian(rnd);
    }
    return v;
  }

  /** Tokens with strongly correlated features: x = z A, A a random mixing matrix plus a shared factor. */
  static float[] correlated(SplittableRandom rnd, int tokens, int in) {
    double[] a = new double[in * in];
    for (int i = 0; i < a.length; i++) {
      a[i] = gaussian(rnd) * 0.5;
    }
    float[] x = new float[tokens * in];
    for (int t = 0; t < tokens; t++) {
      double shared = gaussian(rnd) * 2;
      double[] z = new double[in];
      for (int i = 0; i < in; i++) {
        z[i] = gaussian(rnd);
      }
      for (int j = 0; j < in; j++) {
        double s = shared;
        for (int i = 0; i < in; i++) {
          s += z[i] * a[i * in + j];
        }
        x[t * in + j] = (float) s;
      }
    }
    return x;
  }

  static double gaussian(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  static float[] magnitudeMasked(float[] w, int k) {
    Integer[] idx = new Integer[w.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (p, q) -> Float.compare(Math.abs(w[p]), Math.abs(w[q])));
    float[] out = w.clone();
    for (int i = 0; i < k; i++) {
      out[idx[i]] = 0;
    }
    return out;
  }

  /** {@code ||X W^T - X W'^T||_F}. */
  static double reconstructionError(float[] x, float[] w, float[] w2, int tokens, int in, int out) {
    double s = 0;
    for (int t = 0; t < tokens; t++) {
      for (int o = 0; o < out; o++) {
        double d = 0;
        for (int j = 0; j < in; j++) {
          d += x[t * in + j] * ((double) w[o * in + j] - w2[o * in + j]);
        }
        s += d * d;
      }
    }
    return Math.sqrt(s);
  }
}
