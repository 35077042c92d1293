package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prunekit.core.exec.KernelHarness.assertTensor;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Mul;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.RmsNorm;
import org.prunekit.core.tensor.Tensor;

/** Hand-computed numerics of the non-window ops (convolution and pooling: {@link WindowKernelsTest}). */
class OpKernelsTest {
  private static KernelHarness h;

  @BeforeAll
  static void start() {
    h = new KernelHarness();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static Tensor t(float[] d, int... shape) {
    return Tensor.of(d, shape);
  }

  @Test
  void linearOverLastDimWithAndWithoutBias() {
    Map<String, Tensor> p = Map.of(
        "weight", t(new float[] {1, 0, -1, 0.5f, 0.5f, 0.5f}, 2, 3),
        "bias", t(new float[] {1, -1}, 2));
    Tensor y = h.run(new Linear(3, 2, true), p, h.array(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertTensor(y, new int[] {2, 2}, new float[] {-1, 2, -1, 6.5f}, 1e-6);
    // leading dims [1, 2] are all tokens
    Tensor y3 = h.run(new Linear(3, 2, true), p, h.array(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3));
    assertTensor(y3, new int[] {1, 2, 2}, new float[] {-1, 2, -1, 6.5f}, 1e-6);
    Tensor noBias = h.run(new Linear(3, 2, false), Map.of("weight", p.get("weight")),
        h.array(new float[] {1, 2, 3}, 1, 3));
    assertTensor(noBias, new int[] {1, 2}, new float[] {-2, 3}, 1e-6);
  }

  @Test
  void batchNormInferenceUsesRunningStatistics() {
    Map<String, Tensor> p = Map.of(
        "gamma", t(new float[] {2, 0.5f}, 2), "beta", t(new float[] {1, 0}, 2),
        "running_mean", t(new float[] {1, 2}, 2), "running_var", t(new float[] {4, 1}, 2));
    // channel 0: (x - 1) / 2 * 2 + 1 ; channel 1: (x - 2) / 1 * 0.5
    Tensor y = h.run(new BatchNorm(2, 1e-8f, 0.1f), p, h.array(new float[] {3, 5, 2, 4}, 1, 2, 1, 2));
    assertTensor(y, new int[] {1, 2, 1, 2}, new float[] {3, 5, 0, 1}, 1e-5);
  }

  @Test
  void batchNormTrainingUsesBatchStatisticsAndUpdatesRunningOnes() {
    BatchNorm op = new BatchNorm(1, 1e-8f, 0.1f);
    Node n = KernelHarness.node(op, Map.of(
        "gamma", t(new float[] {1}, 1), "beta", t(new float[] {0}, 1),
        "running_mean", t(new float[] {0}, 1), "running_var", t(new float[] {1}, 1)), 1);
    ParameterSource src = h.source(n);
    try (NDArray y = OpKernels.forward(n, List.of(h.array(new float[] {1, 3}, 2, 1)), src, true)) {
      // batch mean 2, biased variance 1
      assertTensor(org.prunekit.core.tensor.TensorConversions.fromDjl(y), new int[] {2, 1}, new float[] {-1, 1}, 1e-5);
    }
    // PyTorch momentum 0.1: mean 0.9*0 + 0.1*2; variance uses the unbiased batch variance 2
    assertEquals(0.2f, src.array(n.param("running_mean")).getFloat(0), 1e-6);
    assertEquals(1.1f, src.array(n.param("running_var")).getFloat(0), 1e-6);
  }

  @Test
  void layerNormAffineAndPlain() {
    float a = (float) (1.5 / Math.sqrt(1.25));
    float b = (float) (0.5 / Math.sqrt(1.25));
    Tensor plain = h.run(new LayerNorm(4, 1e-8f, false), Map.of(), h.array(new float[] {1, 2, 3, 4}, 1, 4));
    assertTensor(plain, new int[] {1, 4}, new float[] {-a, -b, b, a}, 1e-5);
    Tensor affine = h.run(new LayerNorm(4, 1e-8f, true),
        Map.of("gamma", t(new float[] {1, 1, 2, 2}, 4), "beta", t(new float[] {0, 0, 0, 1}, 4)),
        h.array(new float[] {1, 2, 3, 4}, 1, 1, 4));
    assertTensor(affine, new int[] {1, 1, 4}, new float[] {-a, -b, 2 * b, 2 * a + 1}, 1e-5);
  }

  @Test
  void rmsNorm() {
    float rms = (float) Math.sqrt(12.5);
    Tensor y = h.run(new RmsNorm(2, 1e-8f), Map.of("gamma", t(new float[] {1, 2}, 2)),
        h.array(new float[] {3, 4, 0, 2}, 2, 2));
    // row 2: [0, 2] has rms sqrt(2)
    float r2 = (float) Math.sqrt(2);
    assertTensor(y, new int[] {2, 2}, new float[] {3 / rms, 8 / rms, 0, 4 / r2}, 1e-5);
  }

  @Test
  void embeddingLooksUpRowsAndRejectsBadIds() {
    Map<String, Tensor> p = Map.of("weight", t(new float[] {0, 1, 2, 3, 4, 5}, 3, 2));
    Tensor y = h.run(new Embedding(3, 2), p, h.array(new float[] {2, 0, 1}, 1, 3));
    assertTensor(y, new int[] {1, 3, 2}, new float[] {4, 5, 0, 1, 2, 3}, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> h.run(new Embedding(3, 2), p, h.array(new float[] {3, 0}, 1, 2)));
    assertTrue(e.getMessage().contains("'n'") && e.getMessage().contains("[0, 3)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> h.run(new Embedding(3, 2), p, h.array(new float[] {0.5f}, 1, 1)));
  }

  @Test
  void elementwiseActivations() {
    float[] x = {-1, 0, 1, 2};
    assertTensor(act(Activation.Kind.RELU, x), new int[] {4}, new float[] {0, 0, 1, 2}, 0);
    // erf form: x * Phi(x); the tanh approximation gives 0.841192 at 1 and would fail
    assertTensor(act(Activation.Kind.GELU, x), new int[] {4}, new float[] {-0.1586553f, 0, 0.8413447f, 1.9544997f}, 1e-6);
    assertTensor(act(Activation.Kind.SILU, x), new int[] {4}, new float[] {-0.2689414f, 0, 0.7310586f, 1.7615942f}, 1e-6);
    assertTensor(act(Activation.Kind.TANH, x), new int[] {4}, new float[] {-0.7615942f, 0, 0.7615942f, 0.9640276f}, 1e-6);
    assertTensor(act(Activation.Kind.SIGMOID, x), new int[] {4}, new float[] {0.2689414f, 0.5f, 0.7310586f, 0.8807971f}, 1e-6);
  }

  private static Tensor act(Activation.Kind k, float[] x) {
    return h.run(Activation.of(k), Map.of(), h.array(x, x.length));
  }

  @Test
  void softmaxAlongLastAndGivenAxis() {
    float[] x = {1, 2, 3, 5};
    Tensor last = h.run(new Activation(Activation.Kind.SOFTMAX, -1), Map.of(), h.array(x, 1, 2, 2));
    assertTensor(last, new int[] {1, 2, 2}, new float[] {0.2689414f, 0.7310586f, 0.1192029f, 0.8807971f}, 1e-6);
    Tensor axis1 = h.run(new Activation(Activation.Kind.SOFTMAX, 1), Map.of(), h.array(x, 1, 2, 2));
    assertTensor(axis1, new int[] {1, 2, 2}, new float[] {0.1192029f, 0.0474259f, 0.8807971f, 0.9525741f}, 1e-6);
  }

  @Test
  void globalPooling() {
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
    Tensor avg = h.run(new GlobalPool(Pool.Kind.AVG, false), Map.of(), h.array(x, 1, 2, 2, 2));
    assertTensor(avg, new int[] {1, 2}, new float[] {2.5f, 6.5f}, 1e-6);
    Tensor max = h.run(new GlobalPool(Pool.Kind.MAX, true), Map.of(), h.array(x, 1, 2, 2, 2));
    assertTensor(max, new int[] {1, 2, 1, 1}, new float[] {4, 8}, 0);
  }

  @Test
  void flattenAndReshapeKeepTheBatch() {
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    assertTensor(h.run(new Flatten(1), Map.of(), h.array(x, 2, 2, 3)), new int[] {2, 6}, x, 0);
    assertTensor(h.run(new Flatten(2), Map.of(), h.array(x, 1, 2, 2, 3)), new int[] {1, 2, 6}, x, 0);
    assertTensor(h.run(new Reshape(new int[] {3, -1}), Map.of(), h.array(x, 2, 6)), new int[] {2, 3, 2}, x, 0);
  }

  @Test
  void addMulConcat() {
    NDArray a = h.array(new float[] {1, 2}, 1, 2);
    NDArray b = h.array(new float[] {10, 20}, 1, 2);
    NDArray c = h.array(new float[] {100, 200}, 1, 2);
    assertTensor(h.run(new Add(), Map.of(), a, b, c), new int[] {1, 2}, new float[] {111, 222}, 0);
    assertTensor(h.run(new Mul(), Map.of(), a, b, c), new int[] {1, 2}, new float[] {1000, 8000}, 0);
    assertTensor(h.run(new Add(), Map.of(), a, a), new int[] {1, 2}, new float[] {2, 4}, 0);
    NDArray p = h.array(new float[] {1, 2}, 1, 1, 2);
    NDArray q = h.array(new float[] {3, 4, 5, 6}, 1, 2, 2);
    assertTensor(h.run(new Concat(1), Map.of(), p, q), new int[] {1, 3, 2}, new float[] {1, 2, 3, 4, 5, 6}, 0);
    assertTensor(h.run(new Concat(2), Map.of(), q, q), new int[] {1, 2, 4}, new float[] {3, 4, 3, 4, 5, 6, 5, 6}, 0);
    // inputs are untouched
    assertTensor(org.prunekit.core.tensor.TensorConversions.fromDjl(a), new int[] {1, 2}, new float[] {1, 2}, 0);
  }

  @Test
  void dropoutOnlyWhenTraining() {
    float[] ones = new float[2000];
    java.util.Arrays.fill(ones, 1f);
    Tensor inference = h.run(new Dropout(0.5f), Map.of(), false, h.array(ones, 1, 2000));
    assertTensor(inference, new int[] {1, 2000}, ones, 0);
    Tensor training = h.run(new Dropout(0.5f), Map.of(), true, h.array(ones, 1, 2000));
    int zeros = 0;
    for (float v : training.data()) {
      assertTrue(v == 0f || Math.abs(v - 2f) < 1e-6, "dropout keeps x / (1 - p): " + v);
      zeros += v == 0f ? 1 : 0;
    }
    assertTrue(zeros > 800 && zeros < 1200, "about half dropped: " + zeros);
  }

  @Test
  void identityReturnsAFreshArray() {
    NDArray x = h.array(new float[] {1, 2}, 1, 2);
    Node n = KernelHarness.node(new Identity(), Map.of(), 1);
    NDArray y = OpKernels.forward(n, List.of(x), h.source(n), false);
    assertNotSame(x, y);
    y.close();
    assertTensor(org.prunekit.core.tensor.TensorConversions.fromDjl(x), new int[] {1, 2}, new float[] {1, 2}, 0);
  }

  @Test
  void kernelLeavesNoTemporariesBehind() {
    NDArray x = h.array(new float[] {3, 4, 0, 2}, 2, 2);
    Node n = KernelHarness.node(new RmsNorm(2, 1e-6f), Map.of("gamma", t(new float[] {1, 2}, 2)), 1);
    ParameterSource src = h.source(n);
    int before = h.manager.getManagedArrays().size();
    NDArray y = OpKernels.forward(n, List.of(x), src, false);
    assertEquals(before + 1, h.manager.getManagedArrays().size(), "only the output is new");
    assertTrue(y.getManager() == x.getManager());
    y.close();
  }
}
