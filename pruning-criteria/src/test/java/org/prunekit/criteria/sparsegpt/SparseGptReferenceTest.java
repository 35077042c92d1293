package org.prunekit.criteria.sparsegpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ThresholdMode;
import org.prunekit.criteria.pattern.NmPattern;

/**
 * Cross-check against the reference algorithm: the expected values were produced by a literal
 * float64 NumPy transcription of {@code fasterprune} in [Wanda-code] {@code lib/sparsegpt.py}
 * (blocksize 4, percdamp 0.01, N:M as {@code prune_n=2, prune_m=4}), on the deterministic inputs
 * built below (5 x 12 weight, 20 tokens, input column 7 dead). Unstructured uses the reference's
 * {@code <=} rule, i.e. {@link ThresholdMode#REFERENCE} (11 of 20 per block here).
 */
class SparseGptReferenceTest {
  private static final int ROWS = 5;
  private static final int COLS = 12;
  private static final int TOKENS = 20;
  private static final String U_MASK = "010100100001010110100001010110100101010110100101000110100111";
  private static final float[] U_W = {
      0f, 0.9861801f, 0f, -0.807947f, 0f, 0f, 1.038894f, 0f, 0f, 0f, 0f, 1.000644f, 0f, -0.9788306f, 0f,
      0.7395838f, 0.847763f, 0f, -1.048041f, 0f, 0f, 0f, 0f, -1.172583f, 0f, 0.9600829f, 0f, -0.6626083f,
      -0.9032393f, 0f, 1.027339f, 0f, 0f, -0.7841638f, 0f, 1.279687f, 0f, -0.9301552f, 0f, 0.577917f,
      0.9481976f, 0f, -0.9946748f, 0f, 0f, 0.9087161f, 0f, -1.36088f, 0f, 0f, 0f, -0.6158908f, -0.8782884f,
      0f, 1.665491f, 0f, 0f, -1.165404f, 0.9591583f, 1.437096f};
  private static final String NM_MASK = "010110101001010110100101010110100101010110100101010110100101";
  private static final float[] NM_W = {
      0f, 0.9861801f, 0f, -0.807947f, -0.7824147f, 0f, 1.056538f, 0f, -0.8527566f, 0f, 0f, 1.043109f, 0f,
      -0.9788306f, 0f, 0.7395838f, 0.847763f, 0f, -1.048041f, 0f, 0f, 0.6504801f, 0f, -1.183591f, 0f,
      0.9600829f, 0f, -0.6626083f, -0.9032393f, 0f, 1.027339f, 0f, 0f, -0.7841638f, 0f, 1.279687f, 0f,
      -0.9301552f, 0f, 0.577917f, 0.9481976f, 0f, -0.9946748f, 0f, 0f, 0.9087161f, 0f, -1.36088f, 0f,
      0.8893961f, 0f, -0.4864959f, -0.9821145f, 0f, 0.9504275f, 0f, 0f, -1.022687f, 0f, 1.426227f};

  private static Tensor weight() {
    float[] w = new float[ROWS * COLS];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) Math.sin(1.3 * i + 0.2);
    }
    return Tensor.of(w, ROWS, COLS);
  }

  private static HessianAccumulator hessian() {
    float[] x = new float[TOKENS * COLS];
    for (int t = 0; t < TOKENS; t++) {
      for (int j = 0; j < COLS; j++) {
        double v = Math.cos(0.7 * t * (j + 1) + 0.1 * j) + (j % 3 == 0 ? 0.5 : 0) * Math.sin(t);
        x[t * COLS + j] = j == 7 ? 0f : (float) v;
      }
    }
    HessianAccumulator h = new HessianAccumulator("fc", COLS);
    h.add(Tensor.of(x, TOKENS, COLS));
    return h;
  }

  private static float[] mask(String bits) {
    float[] m = new float[bits.length()];
    for (int i = 0; i < m.length; i++) {
      m[i] = bits.charAt(i) == '1' ? 1f : 0f;
    }
    return m;
  }

  @Test
  void unstructuredMatchesTheReference() {
    SparseGptResult r = SparseGpt.builder().optBlockSize(4).optThresholdMode(ThresholdMode.REFERENCE).build()
        .prune("fc", weight(), hessian(), 0.5);
    assertArrayEquals(mask(U_MASK), r.mask().data());
    assertArrayEquals(U_W, r.weight().data(), 2e-5f);
    assertArrayEquals(new int[] {7}, r.deadColumns());
    assertEquals(33, r.prunedCount());
  }

  @Test
  void twoFourMatchesTheReference() {
    SparseGptResult r = SparseGpt.builder().optBlockSize(4).build().prune("fc", weight(), hessian(),
        NmPattern.keep(2, 4));
    assertArrayEquals(mask(NM_MASK), r.mask().data());
    assertArrayEquals(NM_W, r.weight().data(), 2e-5f);
  }
}
