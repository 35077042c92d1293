package org.prunekit.criteria.sparsegpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.pattern.NmPattern;

/** Issue section 5 for the layer operation: clear errors, inputs untouched. */
class SparseGptBadInputTest {
  private static final float[] W = {4, 3, 0.5f, 0.6f, 1, 2, 0.7f, 6};

  private static void assertMessage(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  private static IllegalArgumentException fails(float[] w, double[] h, double s) {
    float[] wCopy = w.clone();
    double[] hCopy = h.clone();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparseGpt.defaults().prune("blk.fc", Tensor.of(w, w.length == 8 ? 2 : 1, w.length == 8 ? 4 : w.length), h, s));
    assertArrayEquals(wCopy, w);
    assertArrayEquals(hCopy, h);
    return e;
  }

  @Test
  void sparsityOutsideZeroOneIsRejected() {
    for (double s : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
      assertMessage(fails(W, SparseGptTest.identity(4, 1), s), "blk.fc", "sparsity");
    }
  }

  @Test
  void nonFiniteWeightOrHessianIsRejected() {
    float[] w = W.clone();
    w[5] = Float.NaN;
    assertMessage(fails(w, SparseGptTest.identity(4, 1), 0.5), "blk.fc", "NaN", "index 5");
    double[] h = SparseGptTest.identity(4, 1);
    h[6] = Double.POSITIVE_INFINITY;
    h[9] = Double.POSITIVE_INFINITY;
    assertMessage(fails(W, h, 0.5), "Hessian of 'blk.fc'", "Infinity", "[1, 2]");
  }

  @Test
  void widthMismatchIsRejected() {
    assertMessage(fails(W, SparseGptTest.identity(3, 1), 0.5), "blk.fc", "9 entries", "4 x 4");
    HessianAccumulator acc = new HessianAccumulator("blk.fc", 5);
    acc.add(Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparseGpt.defaults().prune("blk.fc", Tensor.of(W, 2, 4), acc, 0.5));
    assertMessage(e, "blk.fc", "5 x 5", "input width 4");
    IllegalArgumentException rank1 = assertThrows(IllegalArgumentException.class,
        () -> SparseGpt.defaults().prune("blk.fc", Tensor.of(W, 8), SparseGptTest.identity(8, 1), 0.5));
    assertMessage(rank1, "blk.fc", "[8]");
  }

  @Test
  void asymmetricNegativeOrIndefiniteHessianIsRejected() {
    assertMessage(fails(new float[] {1, 2}, new double[] {2, 1, 0, 2}, 0.5), "not symmetric", "[0, 1]");
    assertMessage(fails(new float[] {1, 2}, new double[] {-1, 0, 0, 2}, 0.5), "negative diagonal");
    // eigenvalues 3 and -1: dampening by 1 % of the mean diagonal does not rescue it
    assertMessage(fails(new float[] {1, 2}, new double[] {1, 2, 2, 1}, 0.5), "not positive definite", "percdamp");
    // singular (rank 1) and no dampening
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparseGptTest.NO_DAMP.prune(
        "blk.fc", Tensor.of(new float[] {1, 2}, 1, 2), new double[] {1, 1, 1, 1}, 0.5));
    assertMessage(e, "not positive definite");
  }

  @Test
  void nmMustDivideTheWidthAndTheBlockSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparseGpt.defaults().prune(
        "blk.fc", Tensor.of(new float[6], 1, 6), SparseGptTest.identity(6, 1), NmPattern.keep(2, 4)));
    assertMessage(e, "blk.fc", "6", "groupM=4");
    IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> SparseGpt.builder()
        .optBlockSize(6).build().prune("blk.fc", Tensor.of(W, 1, 8), SparseGptTest.identity(8, 1),
            NmPattern.keep(2, 4)));
    assertMessage(b, "block size 6", "4");
    assertThrows(IllegalArgumentException.class, () -> SparseGpt.builder().optBlockSize(0));
    assertThrows(IllegalArgumentException.class, () -> SparseGpt.builder().optPercDamp(-0.01));
    assertThrows(IllegalArgumentException.class, () -> SparseGpt.builder().optPercDamp(Double.NaN));
  }
}
