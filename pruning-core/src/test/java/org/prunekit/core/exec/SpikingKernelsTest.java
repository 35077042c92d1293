package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.ShapeException;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;
import org.prunekit.core.tensor.Tensor;

class SpikingKernelsTest {
  private static final float TOL = 1e-6f;

  /**
   * T = 3, B = 2, two neurons, beta 0.5, threshold 1, time-major rows t*B + b. Sample 0: neuron a
   * gets 0.6, 0.8, 0.97; neuron b 1.5, 0.2, 1.2. Sample 1: both get 2 at every step.
   */
  private static final float[] INPUT = {
    0.6f, 1.5f, 2f, 2f, // t = 0: sample 0 (a, b), sample 1 (a, b)
    0.8f, 0.2f, 2f, 2f, // t = 1
    0.97f, 1.2f, 2f, 2f // t = 2
  };

  @Test
  void lifSubtractResetMatchesHandRecurrence() {
    // a: H = .6 (no spike, U .6); H = .3+.8 = 1.1 (spike, U .1); H = .05+.97 = 1.02 (spike, U .02)
    // b: H = 1.5 (spike, U .5); H = .25+.2 = .45 (U .45); H = .225+1.2 = 1.425 (spike, U .425)
    // sample 1: H = 2 (U 1); 2.5 (U 1.5); 2.75 (U 1.75), always spiking
    float[][] u = runWithMembranes(new Lif(3, 0.5f, 1f, Lif.Reset.SUBTRACT, 25f), INPUT, 6, 2);
    assertArrayEquals(new float[] {0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}, u[3], "spikes");
    assertArrayEquals(new float[] {0.6f, 0.5f, 1f, 1f}, u[0], TOL);
    assertArrayEquals(new float[] {0.1f, 0.45f, 1.5f, 1.5f}, u[1], TOL);
    assertArrayEquals(new float[] {0.02f, 0.425f, 1.75f, 1.75f}, u[2], TOL);
  }

  @Test
  void lifZeroResetMatchesHandRecurrence() {
    // a: H = .6 (U .6); H = 1.1 (spike, U 0); H = .97 (no spike, U .97)
    // b: H = 1.5 (spike, U 0); H = .2 (U .2); H = .1+1.2 = 1.3 (spike, U 0)
    // sample 1: H = 2 every step, spike, U 0
    float[][] u = runWithMembranes(new Lif(3, 0.5f, 1f, Lif.Reset.ZERO, 25f), INPUT, 6, 2);
    assertArrayEquals(new float[] {0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1}, u[3], "spikes");
    assertArrayEquals(new float[] {0.6f, 0f, 0f, 0f}, u[0], TOL);
    assertArrayEquals(new float[] {0f, 0.2f, 0f, 0f}, u[1], TOL);
    assertArrayEquals(new float[] {0.97f, 0f, 0f, 0f}, u[2], TOL);
  }

  /** Returns the membranes of every step and, last, the spikes. */
  private static float[][] runWithMembranes(Lif op, float[] input, long rows, long cols) {
    try (KernelHarness h = new KernelHarness()) {
      Node n = KernelHarness.node(op, Map.of(), 1);
      List<NDArray> membranes = new ArrayList<>();
      NDArray s = SpikingKernels.lif(n, op, h.array(input, rows, cols), membranes);
      float[][] out = new float[op.timesteps() + 1][];
      for (int t = 0; t < op.timesteps(); t++) {
        out[t] = membranes.get(t).toFloatArray();
      }
      out[op.timesteps()] = s.toFloatArray();
      // the public kernel gives the same spikes
      assertArrayEquals(out[op.timesteps()], h.run(op, Map.of(), h.array(input, rows, cols)).data());
      return out;
    }
  }

  @Test
  void spikeAtExactlyTheThresholdFires() {
    try (KernelHarness h = new KernelHarness()) {
      Tensor s = h.run(new Lif(1, 0.9f, 0.5f, Lif.Reset.SUBTRACT, 25f), Map.of(), h.array(new float[] {0.5f, 0.49f}, 1, 2));
      assertArrayEquals(new float[] {1f, 0f}, s.data());
    }
  }

  @Test
  void surrogateGradientMatchesFastSigmoidDerivative() {
    // T = 2, one neuron, beta .5, threshold 1, slope 25, inputs I1 = .6, I2 = .8, loss = S1 + S2.
    // H1 = .6, H2 = .5 * .6 + .8 = 1.1 (the reset after step 1 is 0: no spike).
    // sigma'(x) = 1 / (1 + 25 |x|)^2: dL/dI2 = sigma'(.1) = 1/12.25;
    // dL/dI1 = sigma'(-.4) + beta * sigma'(.1) = 1/121 + .5/12.25.
    try (KernelHarness h = new KernelHarness()) {
      NDArray x = h.array(new float[] {0.6f, 0.8f}, 2, 1);
      x.setRequiresGradient(true);
      Node n = KernelHarness.node(new Lif(2, 0.5f, 1f, Lif.Reset.SUBTRACT, 25f), Map.of(), 1);
      try (GradientCollector gc = h.manager.getEngine().newGradientCollector()) {
        NDArray s = OpKernels.forward(n, List.of(x), p -> null, true);
        assertArrayEquals(new float[] {0f, 1f}, s.toFloatArray(), "forward value is the exact step");
        gc.backward(s.sum());
      }
      float[] g = x.getGradient().toFloatArray();
      assertEquals(1.0 / 121 + 0.5 / 12.25, g[0], 1e-6);
      assertEquals(1.0 / 12.25, g[1], 1e-6);
      assertNotEquals(0f, g[0]);
    }
  }

  @Test
  void encodeRepeatsTimeMajorAndUnfoldsAnExplicitTimeAxis() {
    try (KernelHarness h = new KernelHarness()) {
      Tensor r = h.run(new TimeEncode(3, TimeEncode.Mode.REPEAT), Map.of(), h.array(new float[] {1, 2, 3, 4}, 2, 2));
      KernelHarness.assertTensor(r, new int[] {6, 2}, new float[] {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}, 0);
      // [B=2, T=3, 1]: sample 0 = 1,2,3 ; sample 1 = 4,5,6 -> rows t*B + b: 1,4,2,5,3,6
      Tensor u = h.run(new TimeEncode(3, TimeEncode.Mode.UNFOLD), Map.of(), h.array(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, 1));
      KernelHarness.assertTensor(u, new int[] {6, 1}, new float[] {1, 4, 2, 5, 3, 6}, 0);
      Tensor m = h.run(new TimeMean(3), Map.of(), h.array(new float[] {1, 4, 2, 5, 3, 9}, 6, 1));
      KernelHarness.assertTensor(m, new int[] {2, 1}, new float[] {2, 6}, TOL);
    }
  }

  @Test
  void badLayoutsAreRejectedNamingTheNode() {
    ShapeException e = assertThrows(ShapeException.class,
        () -> Lif.of(4, 0.9f).inferShape("lif1", List.of(new org.prunekit.core.graph.Shape(6, 3))));
    assertTrue(e.getMessage().contains("lif1") && e.getMessage().contains("T*batch"), e.getMessage());
    assertThrows(ShapeException.class, () -> new TimeEncode(3, TimeEncode.Mode.UNFOLD)
        .inferShape("enc", List.of(new org.prunekit.core.graph.Shape(2, 4, 5))));
    assertThrows(IllegalArgumentException.class, () -> new Lif(0, 0.5f, 1f, Lif.Reset.ZERO, 1f));
    assertThrows(IllegalArgumentException.class, () -> new Lif(2, 1.5f, 1f, Lif.Reset.ZERO, 1f));
    assertThrows(IllegalArgumentException.class, () -> new Lif(2, 0.5f, 0f, Lif.Reset.ZERO, 1f));
    assertThrows(IllegalArgumentException.class, () -> new Lif(2, 0.5f, 1f, Lif.Reset.ZERO, Float.NaN));
    try (KernelHarness h = new KernelHarness()) {
      IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
          () -> h.run(Lif.of(4, 0.5f), Map.of(), h.array(new float[6], 3, 2)));
      assertTrue(k.getMessage().contains("'n'"), k.getMessage());
    }
  }
}
