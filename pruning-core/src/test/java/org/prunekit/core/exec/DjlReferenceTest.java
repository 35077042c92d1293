package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.tensor.Tensor;

/** Our kernels against DJL's own blocks initialised with the same weights, to 1e-5. */
class DjlReferenceTest {
  private static KernelHarness h;
  private final SplittableRandom rng = new SplittableRandom(7);

  @BeforeAll
  static void start() {
    h = new KernelHarness();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private float[] random(long n) {
    float[] f = new float[Math.toIntExact(n)];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return f;
  }

  private float[] positive(long n) {
    float[] f = random(n);
    for (int i = 0; i < f.length; i++) {
      f[i] = 0.5f + Math.abs(f[i]);
    }
    return f;
  }

  /** Initialises {@code block} for {@code x}, copies the given values into its parameters, runs it. */
  private static float[] djl(Block block, NDArray x, Map<String, float[]> values) {
    block.initialize(h.manager, DataType.FLOAT32, x.getShape());
    block.getParameters().forEach(pair -> {
      float[] v = values.get(pair.getKey());
      if (v == null) {
        throw new AssertionError("no value for DJL parameter " + pair.getKey());
      }
      pair.getValue().getArray().set(v);
    });
    NDList out = block.forward(new ParameterStore(h.manager, false), new NDList(x), false);
    return out.singletonOrThrow().toFloatArray();
  }

  private static void assertClose(float[] expected, Tensor actual) {
    assertEquals(expected.length, actual.data().length, "size");
    assertArrayEquals(expected, actual.data(), 1e-5f);
  }

  @Test
  void conv2dMatchesDjlBlock() {
    // stride 2, padding 1, dilation 2, 2 groups
    NDArray x = h.array(random(2 * 4 * 9 * 9), 2, 4, 9, 9);
    float[] w = random(6 * 2 * 3 * 3);
    float[] b = random(6);
    Block ref = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(6).optStride(new Shape(2, 2))
        .optPadding(new Shape(1, 1)).optDilation(new Shape(2, 2)).optGroups(2).build();
    float[] expected = djl(ref, x, Map.of("weight", w, "bias", b));
    Op op = new Conv(2, 4, 6, new int[] {3, 3}, new int[] {2, 2}, Padding.symmetric(2, 1), new int[] {2, 2}, 2, true);
    Tensor ours = h.run(op, Map.of("weight", Tensor.of(w, 6, 2, 3, 3), "bias", Tensor.of(b, 6)), x);
    assertArrayEquals(new int[] {2, 6, 4, 4}, ours.shape().dims());
    assertClose(expected, ours);
  }

  @Test
  void linearMatchesDjlBlock() {
    NDArray x = h.array(random(3 * 5 * 7), 3, 5, 7);
    float[] w = random(4 * 7);
    float[] b = random(4);
    float[] expected = djl(ai.djl.nn.core.Linear.builder().setUnits(4).build(), x, Map.of("weight", w, "bias", b));
    assertClose(expected, h.run(new Linear(7, 4, true), Map.of("weight", Tensor.of(w, 4, 7), "bias", Tensor.of(b, 4)), x));
  }

  @Test
  void batchNormInferenceMatchesDjlBlock() {
    NDArray x = h.array(random(2 * 3 * 4 * 4), 2, 3, 4, 4);
    Map<String, float[]> v = new HashMap<>();
    v.put("gamma", random(3));
    v.put("beta", random(3));
    v.put("runningMean", random(3));
    v.put("runningVar", positive(3));
    float[] expected = djl(BatchNorm.builder().optEpsilon(1e-5f).build(), x, v);
    Tensor ours = h.run(org.prunekit.core.graph.op.BatchNorm.of(3), Map.of(
        "gamma", Tensor.of(v.get("gamma"), 3), "beta", Tensor.of(v.get("beta"), 3),
        "running_mean", Tensor.of(v.get("runningMean"), 3), "running_var", Tensor.of(v.get("runningVar"), 3)), x);
    assertClose(expected, ours);
  }

  @Test
  void layerNormMatchesDjlBlock() {
    NDArray x = h.array(random(2 * 3 * 8), 2, 3, 8);
    float[] g = random(8);
    float[] b = random(8);
    float[] expected = djl(LayerNorm.builder().axis(2).optEpsilon(1e-5f).build(), x, Map.of("gamma", g, "beta", b));
    Tensor ours = h.run(new org.prunekit.core.graph.op.LayerNorm(8, 1e-5f, true),
        Map.of("gamma", Tensor.of(g, 8), "beta", Tensor.of(b, 8)), x);
    assertClose(expected, ours);
  }

  @Test
  void maxPoolMatchesDjlBlock() {
    NDArray x = h.array(random(2 * 3 * 7 * 7), 2, 3, 7, 7);
    float[] expected = djl(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)), x, Map.of());
    org.prunekit.core.graph.op.Pool op = new org.prunekit.core.graph.op.Pool(
        org.prunekit.core.graph.op.Pool.Kind.MAX, 2, new int[] {3, 3}, new int[] {2, 2}, Padding.symmetric(2, 1), true);
    Tensor ours = h.run(op, Map.of(), x);
    assertArrayEquals(new int[] {2, 3, 4, 4}, ours.shape().dims());
    assertClose(expected, ours);
  }
}
