package org.prunekit.criteria.sparsegpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.Tensor;

/** H = 2 X^T X / n, streamed. */
class HessianAccumulatorTest {
  @Test
  void handValueAndStreamingEqualsOneBatch() {
    HessianAccumulator h = new HessianAccumulator("fc", 2);
    h.add(Tensor.of(new float[] {1, 0, 1, 2}, 2, 2)); // x1 = [1,0], x2 = [1,2]: X^T X = [[2,2],[2,4]], n = 2
    assertArrayEquals(new double[] {2, 2, 2, 4}, h.hessian());
    assertEquals(2, h.tokens());

    SplittableRandom rnd = new SplittableRandom(1);
    float[] x = SparseGptTest.randn(rnd, 300 * 7); // 300 tokens: crosses the 128-token chunks
    HessianAccumulator one = new HessianAccumulator("fc", 7);
    one.add(Tensor.of(x, 3, 100, 7));
    HessianAccumulator many = new HessianAccumulator("fc", 7);
    for (int t = 0; t < 300; t += 50) {
      many.add(Tensor.of(java.util.Arrays.copyOfRange(x, t * 7, (t + 50) * 7), 50, 7));
    }
    double[] a = one.hessian();
    double[] b = many.hessian();
    double[] naive = new double[49];
    for (int t = 0; t < 300; t++) {
      for (int i = 0; i < 7; i++) {
        for (int j = 0; j < 7; j++) {
          naive[i * 7 + j] += 2.0 * x[t * 7 + i] * x[t * 7 + j] / 300;
        }
      }
    }
    assertArrayEquals(naive, a, 1e-12);
    assertArrayEquals(naive, b, 1e-12);
  }

  @Test
  void badInputIsRejectedAndNothingIsAdded() {
    HessianAccumulator h = new HessianAccumulator("blk.fc", 3);
    h.add(Tensor.of(new float[] {1, 2, 3}, 1, 3));
    double[] before = h.hessian();
    IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
        () -> h.add(Tensor.of(new float[] {1, 2, 3, 4}, 1, 4)));
    assertTrue(wide.getMessage().contains("blk.fc") && wide.getMessage().contains("3"), wide.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> h.add(Tensor.of(new float[] {1, 2, 3, 4, Float.NaN, 6}, 2, 3)));
    assertTrue(nan.getMessage().contains("NaN") && nan.getMessage().contains("blk.fc"), nan.getMessage());
    assertEquals(1, h.tokens());
    assertArrayEquals(before, h.hessian());

    HessianAccumulator empty = new HessianAccumulator("blk.fc", 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, empty::hessian);
    assertTrue(e.getMessage().contains("empty calibration"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new HessianAccumulator("x", 0));
  }
}
