package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prunekit.core.exec.KernelHarness.assertTensor;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.tensor.Tensor;

/** Attention: hand-checked softmax, causal masking, RoPE pairing, GQA equivalence, biases. */
class AttentionKernelTest {
  private static KernelHarness h;

  @BeforeAll
  static void start() {
    h = new KernelHarness();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static Tensor eye(int n) {
    float[] f = new float[n * n];
    for (int i = 0; i < n; i++) {
      f[i * n + i] = 1;
    }
    return Tensor.of(f, n, n);
  }

  private static Map<String, Tensor> identityWeights(int d) {
    return Map.of("q_weight", eye(d), "k_weight", eye(d), "v_weight", eye(d), "o_weight", eye(d));
  }

  private static float sigmoid(double z) {
    return (float) (1 / (1 + Math.exp(-z)));
  }

  @Test
  void singleHeadHandComputed() {
    // q = k = v = x = [e0, e1]; scores = I / sqrt(2)
    float p = sigmoid(1 / Math.sqrt(2)); // softmax([s, 0]) first entry
    Tensor full = h.run(new Attention(2, 1, 1, 2, false, 0f, false), identityWeights(2),
        h.array(new float[] {1, 0, 0, 1}, 1, 2, 2));
    assertTensor(full, new int[] {1, 2, 2}, new float[] {p, 1 - p, 1 - p, p}, 1e-6);
    Tensor causal = h.run(new Attention(2, 1, 1, 2, true, 0f, false), identityWeights(2),
        h.array(new float[] {1, 0, 0, 1}, 1, 2, 2));
    assertTensor(causal, new int[] {1, 2, 2}, new float[] {1, 0, 1 - p, p}, 1e-6);
  }

  @Test
  void ropeRotatesAdjacentPairs() {
    // head dim 4, x0 = e0, x1 = e1, identity projections. With pairs (0,1),(2,3) position 1
    // rotates e1 by angle 1 into [-sin 1, cos 1, 0, 0], so q0.k1 = -sin 1 (the half-split
    // convention would give 0). Scores scale by 1/sqrt(4).
    Tensor y = h.run(new Attention(4, 1, 1, 4, false, 10000f, false), identityWeights(4),
        h.array(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, 1, 2, 4));
    float p = sigmoid((1 + Math.sin(1)) / 2); // softmax([1, -sin 1] / 2) first entry
    assertTensor(y, new int[] {1, 2, 4}, new float[] {p, 1 - p, 0, 0, 1 - p, p, 0, 0}, 1e-6);
  }

  @Test
  void ropeUsesThetaPerPair() {
    // pair (2,3) turns with frequency theta^(-2/4) = 1/10 for theta 100; position 1
    // rotates e3 into [0, 0, -sin 0.1, cos 0.1], so q0.k1 = -sin 0.1 for x0 = e2
    Tensor y = h.run(new Attention(4, 1, 1, 4, false, 100f, false), identityWeights(4),
        h.array(new float[] {0, 0, 1, 0, 0, 0, 0, 1}, 1, 2, 4));
    float p = sigmoid((1 + Math.sin(0.1)) / 2);
    assertTensor(y, new int[] {1, 2, 4}, new float[] {0, 0, p, 1 - p, 0, 0, 1 - p, p}, 1e-6);
  }

  private static Map<String, Tensor> randomWeights(Attention a, SplittableRandom rng) {
    Map<String, Tensor> m = new HashMap<>();
    for (var spec : a.parameterSpecs()) {
      float[] f = new float[Math.toIntExact(spec.shape().size())];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) (rng.nextDouble() - 0.5);
      }
      m.put(spec.name(), new Tensor(spec.shape(), f));
    }
    return m;
  }

  private static float[] randomInput(SplittableRandom rng, int n) {
    float[] f = new float[n];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return f;
  }

  @Test
  void causalOutputAtZeroDependsOnlyOnTokenZero() {
    SplittableRandom rng = new SplittableRandom(3);
    Attention causal = new Attention(8, 2, 2, 4, true, 10000f, true);
    Map<String, Tensor> w = randomWeights(causal, rng);
    float[] x = randomInput(rng, 4 * 8);
    float[] changed = x.clone();
    for (int i = 8; i < changed.length; i++) {
      changed[i] += 1f;
    }
    Tensor a = h.run(causal, w, h.array(x, 1, 4, 8));
    Tensor b = h.run(causal, w, h.array(changed, 1, 4, 8));
    for (int j = 0; j < 8; j++) {
      assertTrue(Math.abs(a.data()[j] - b.data()[j]) < 1e-6, "token 0 unchanged at " + j);
    }
    assertTrue(maxDiff(a, b, 8, 32) > 1e-3, "later tokens do change");
    Attention full = new Attention(8, 2, 2, 4, false, 10000f, true);
    Tensor c = h.run(full, w, h.array(x, 1, 4, 8));
    Tensor d = h.run(full, w, h.array(changed, 1, 4, 8));
    assertTrue(maxDiff(c, d, 0, 8) > 1e-3, "without the mask token 0 sees the others");
  }

  private static double maxDiff(Tensor a, Tensor b, int from, int to) {
    double m = 0;
    for (int i = from; i < to; i++) {
      m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
    }
    return m;
  }

  @Test
  void groupedQueryEqualsMultiHeadWithRepeatedKv() {
    SplittableRandom rng = new SplittableRandom(11);
    int d = 8;
    int hd = 2;
    Attention gqa = new Attention(d, 4, 2, hd, true, 10000f, true);
    Map<String, Tensor> w = randomWeights(gqa, rng);
    Attention mha = new Attention(d, 4, 4, hd, true, 10000f, true);
    Map<String, Tensor> wm = new HashMap<>(w);
    for (String p : new String[] {"k", "v"}) {
      float[] kw = w.get(p + "_weight").data();
      float[] kb = w.get(p + "_bias").data();
      float[] rw = new float[4 * hd * d];
      float[] rb = new float[4 * hd];
      for (int head = 0; head < 4; head++) {
        int kv = head / 2; // group size 2: query heads 0,1 -> kv 0; 2,3 -> kv 1
        System.arraycopy(kw, kv * hd * d, rw, head * hd * d, hd * d);
        System.arraycopy(kb, kv * hd, rb, head * hd, hd);
      }
      wm.put(p + "_weight", Tensor.of(rw, 4 * hd, d));
      wm.put(p + "_bias", Tensor.of(rb, 4 * hd));
    }
    float[] x = randomInput(rng, 2 * 5 * d);
    Tensor a = h.run(gqa, w, h.array(x, 2, 5, d));
    Tensor b = h.run(mha, wm, h.array(x, 2, 5, d));
    assertArrayEquals(b.data(), a.data(), 1e-5f);
    // and the grouping matters: pairing heads the other way (h % kvHeads) gives another result
    Map<String, Tensor> wrong = new HashMap<>(wm);
    for (String p : new String[] {"k", "v"}) {
      float[] kw = w.get(p + "_weight").data();
      float[] rw = new float[4 * hd * d];
      for (int head = 0; head < 4; head++) {
        System.arraycopy(kw, (head % 2) * hd * d, rw, head * hd * d, hd * d);
      }
      wrong.put(p + "_weight", Tensor.of(rw, 4 * hd, d));
    }
    Tensor c = h.run(mha, wrong, h.array(x, 2, 5, d));
    assertTrue(maxDiff(a, c, 0, a.size()) > 1e-4);
  }

  @Test
  void biasesAreAdded() {
    // zero weights: v = v_bias for every token, attention averages it, o adds o_bias
    Attention a = new Attention(2, 1, 1, 2, false, 0f, true);
    Tensor zero = Tensor.zeros(new org.prunekit.core.graph.Shape(2, 2));
    Map<String, Tensor> w = Map.of("q_weight", zero, "k_weight", zero, "v_weight", zero, "o_weight", eye(2),
        "q_bias", Tensor.of(new float[] {1, 2}, 2), "k_bias", Tensor.of(new float[] {3, 4}, 2),
        "v_bias", Tensor.of(new float[] {5, 6}, 2), "o_bias", Tensor.of(new float[] {0.5f, -0.5f}, 2));
    Tensor y = h.run(a, w, h.array(new float[] {1, 2, 3, 4}, 1, 2, 2));
    assertTensor(y, new int[] {1, 2, 2}, new float[] {5.5f, 5.5f, 5.5f, 5.5f}, 1e-5);
  }
}
