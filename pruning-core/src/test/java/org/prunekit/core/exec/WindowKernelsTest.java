package org.prunekit.core.exec;

import static org.prunekit.core.exec.KernelHarness.assertTensor;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.tensor.Tensor;

/** Hand-computed convolution and pooling, including TF SAME and asymmetric padding. */
class WindowKernelsTest {
  private static KernelHarness h;

  @BeforeAll
  static void start() {
    h = new KernelHarness();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static float[] range(int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = i + 1;
    }
    return f;
  }

  private static float[] fill(int n, float v) {
    float[] f = new float[n];
    java.util.Arrays.fill(f, v);
    return f;
  }

  private static Map<String, Tensor> weights(Tensor w, Tensor b) {
    Map<String, Tensor> m = new HashMap<>();
    m.put("weight", w);
    if (b != null) {
      m.put("bias", b);
    }
    return m;
  }

  private static Conv conv2d(int in, int out, int k, int s, Padding p, int groups, boolean bias) {
    return new Conv(2, in, out, new int[] {k, k}, new int[] {s, s}, p, new int[] {1, 1}, groups, bias);
  }

  @Test
  void conv2dWithBias() {
    Tensor y = h.run(conv2d(1, 1, 2, 1, Padding.valid(2), 1, true),
        weights(Tensor.of(fill(4, 1), 1, 1, 2, 2), Tensor.of(new float[] {0.5f}, 1)), h.array(range(9), 1, 1, 3, 3));
    assertTensor(y, new int[] {1, 1, 2, 2}, new float[] {12.5f, 16.5f, 24.5f, 28.5f}, 1e-5);
  }

  @Test
  void conv1dDilationStrideAndSymmetricPadding() {
    Tensor w = Tensor.of(new float[] {1, 2}, 1, 1, 2);
    // x[i] + 2 x[i+2]
    Conv dil = new Conv(1, 1, 1, new int[] {2}, new int[] {1}, Padding.valid(1), new int[] {2}, 1, false);
    assertTensor(h.run(dil, weights(w, null), h.array(range(5), 1, 1, 5)), new int[] {1, 1, 3},
        new float[] {7, 10, 13}, 1e-5);
    // padded [0 1 2 3 4 5 0], windows at 0, 2, 4
    Conv strided = new Conv(1, 1, 1, new int[] {2}, new int[] {2}, Padding.symmetric(1, 1), new int[] {2}, 1, false);
    assertTensor(h.run(strided, weights(w, null), h.array(range(5), 1, 1, 5)), new int[] {1, 1, 3},
        new float[] {4, 10, 4}, 1e-5);
  }

  @Test
  void conv3d() {
    Conv c = new Conv(3, 1, 1, new int[] {2, 2, 2}, new int[] {1, 1, 1}, Padding.valid(3), new int[] {1, 1, 1}, 1, false);
    Tensor y = h.run(c, weights(Tensor.of(fill(8, 1), 1, 1, 2, 2, 2), null), h.array(range(8), 1, 1, 2, 2, 2));
    assertTensor(y, new int[] {1, 1, 1, 1, 1}, new float[] {36}, 1e-5);
  }

  @Test
  void tfSameUpperPadsOnlyAfter() {
    // 4x4, k=3, s=2: output 2x2, total padding 1 per axis -> 0 before, 1 after
    Tensor y = h.run(conv2d(1, 1, 3, 2, Padding.same(2), 1, false),
        weights(Tensor.of(fill(9, 1), 1, 1, 3, 3), null), h.array(range(16), 1, 1, 4, 4));
    assertTensor(y, new int[] {1, 1, 2, 2}, new float[] {54, 45, 72, 54}, 1e-5);
  }

  @Test
  void sameLowerPadsBefore() {
    Padding lower = new Padding(Padding.Mode.SAME_LOWER, new int[2], new int[2]);
    Tensor y = h.run(conv2d(1, 1, 3, 2, lower, 1, false),
        weights(Tensor.of(fill(9, 1), 1, 1, 3, 3), null), h.array(range(16), 1, 1, 4, 4));
    assertTensor(y, new int[] {1, 1, 2, 2}, new float[] {14, 30, 57, 99}, 1e-5);
  }

  @Test
  void explicitAsymmetricPaddingPerAxis() {
    // 1x1 identity kernel shows where the zeros went: one row on top, two columns on the right
    Padding p = new Padding(Padding.Mode.EXPLICIT, new int[] {1, 0}, new int[] {0, 2});
    Tensor y = h.run(conv2d(1, 1, 1, 1, p, 1, false), weights(Tensor.of(new float[] {1}, 1, 1, 1, 1), null),
        h.array(range(6), 1, 1, 2, 3));
    assertTensor(y, new int[] {1, 1, 3, 5},
        new float[] {0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0}, 0);
  }

  @Test
  void depthwiseConvolution() {
    float[] w = {1, 1, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f};
    Tensor y = h.run(conv2d(2, 2, 2, 1, Padding.valid(2), 2, false), weights(Tensor.of(w, 2, 1, 2, 2), null),
        h.array(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2));
    assertTensor(y, new int[] {1, 2, 1, 1}, new float[] {10, 50}, 1e-5);
  }

  @Test
  void maxPoolPlainAndSame() {
    Tensor y = h.run(Pool.of(Pool.Kind.MAX, 2, 2), Map.of(), h.array(range(16), 1, 1, 4, 4));
    assertTensor(y, new int[] {1, 1, 2, 2}, new float[] {6, 8, 14, 16}, 0);
    // SAME on 3x3, k2 s2: pad 0 before / 1 after with -inf, never winning
    Pool same = new Pool(Pool.Kind.MAX, 2, new int[] {2, 2}, new int[] {2, 2}, Padding.same(2), false);
    Tensor negatives = h.run(same, Map.of(), h.array(negate(range(9)), 1, 1, 3, 3));
    assertTensor(negatives, new int[] {1, 1, 2, 2}, new float[] {-1, -3, -7, -9}, 0);
    Tensor ys = h.run(same, Map.of(), h.array(range(9), 1, 1, 3, 3));
    assertTensor(ys, new int[] {1, 1, 2, 2}, new float[] {5, 6, 8, 9}, 0);
  }

  private static float[] negate(float[] f) {
    for (int i = 0; i < f.length; i++) {
      f[i] = -f[i];
    }
    return f;
  }

  @Test
  void avgPoolCountIncludePadSymmetric() {
    Pool incl = new Pool(Pool.Kind.AVG, 2, new int[] {2, 2}, new int[] {1, 1}, Padding.symmetric(2, 1), true);
    assertTensor(h.run(incl, Map.of(), h.array(range(4), 1, 1, 2, 2)), new int[] {1, 1, 3, 3},
        new float[] {0.25f, 0.75f, 0.5f, 1, 2.5f, 1.5f, 0.75f, 1.75f, 1}, 1e-6);
    Pool excl = new Pool(Pool.Kind.AVG, 2, new int[] {2, 2}, new int[] {1, 1}, Padding.symmetric(2, 1), false);
    assertTensor(h.run(excl, Map.of(), h.array(range(4), 1, 1, 2, 2)), new int[] {1, 1, 3, 3},
        new float[] {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4}, 1e-6);
  }

  @Test
  void avgPoolAsymmetricSame() {
    Pool excl = new Pool(Pool.Kind.AVG, 2, new int[] {2, 2}, new int[] {2, 2}, Padding.same(2), false);
    assertTensor(h.run(excl, Map.of(), h.array(range(9), 1, 1, 3, 3)), new int[] {1, 1, 2, 2},
        new float[] {3, 4.5f, 7.5f, 9}, 1e-6);
    Pool incl = new Pool(Pool.Kind.AVG, 2, new int[] {2, 2}, new int[] {2, 2}, Padding.same(2), true);
    assertTensor(h.run(incl, Map.of(), h.array(range(9), 1, 1, 3, 3)), new int[] {1, 1, 2, 2},
        new float[] {3, 2.25f, 3.75f, 2.25f}, 1e-6);
  }

  @Test
  void pool1dAnd3d() {
    assertTensor(h.run(Pool.of(Pool.Kind.MAX, 1, 2), Map.of(), h.array(new float[] {1, 3, 2, 4}, 1, 1, 4)),
        new int[] {1, 1, 2}, new float[] {3, 4}, 0);
    assertTensor(h.run(Pool.of(Pool.Kind.AVG, 3, 2), Map.of(), h.array(range(8), 1, 1, 2, 2, 2)),
        new int[] {1, 1, 1, 1, 1}, new float[] {4.5f}, 1e-6);
  }
}
