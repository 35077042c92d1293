package org.prunekit.dynamic.dance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.DjlEnvironment;

class DanceTrainingTest {

  @Test
  void movingDigitsAreDeterministicAndMoveInTheLabelledDirection() throws IOException {
    Path dir = Path.of(System.getProperty("prunekit.shared.dir", "../shared"), "data", "mnist");
    Assumptions.assumeTrue(Files.isDirectory(dir), "no MNIST at " + dir);
    IdxDataset test = IdxDataset.loadDir(dir, "t10k");
    MovingDigits.Clips a = MovingDigits.generate(test, 40, 8, 32, 11);
    MovingDigits.Clips b = MovingDigits.generate(test, 40, 8, 32, 11);
    assertArrayEquals(a.data(), b.data(), 0f);
    assertArrayEquals(a.labels(), b.labels());
    assertNotEquals(Arrays.hashCode(a.data()), Arrays.hashCode(MovingDigits.generate(test, 40, 8, 32, 12).data()));
    for (int n = 0; n < a.size(); n++) {
      float[] c = a.clip(n);
      double[] first = centre(c, 0);
      double[] last = centre(c, 7);
      double dx = last[0] - first[0];
      double dy = last[1] - first[1];
      int expected = Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? 0 : 1) : (dy > 0 ? 2 : 3);
      assertEquals(expected, a.labels()[n], "clip " + n + " moved " + dx + "," + dy);
    }
  }

  private static double[] centre(float[] clip, int t) {
    double sx = 0;
    double sy = 0;
    double s = 0;
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        float v = clip[t * 1024 + y * 32 + x];
        sx += v * x;
        sy += v * y;
        s += v;
      }
    }
    return new double[] {sx / s, sy / s};
  }

  @Test
  void controllerTrainsWithTheBackboneFrozen() {
    DjlEnvironment.ensureOffline();
    MovingDigits.Clips clips = MovingDigits.synthetic(32, 4, 20, 3);
    try (Model model = Model.newInstance("dance-test", DjlEnvironment.ENGINE)) {
      DanceNet net = DanceNet.builder().setChannels(4, 8).setNumClasses(4).build();
      model.setBlock(net);
      double ce = DanceTraining.train(model, new AvaLoss(0f, 1e-6f), clips, 1, 8, 1e-3f, 1);
      assertTrue(Double.isFinite(ce));
      float[] mu = DanceTraining.runningMeans(net, clips, 32, 8);
      assertEquals(1, mu.length);
      assertTrue(mu[0] > 0);
      float[] w = net.conv(1).getParameters().get("weight").getArray().toFloatArray();
      AapController ctl = new AapController(1);
      DanceTraining.trainController(net, ctl, mu, clips, 0.5f, 0.2f, -1f, 1, 8, 1e-2f, 2, true);
      assertArrayEquals(w, net.conv(1).getParameters().get("weight").getArray().toFloatArray(), 0f);
      float[] bias = ctl.outputLayer().getParameters().get("bias").getArray().toFloatArray();
      assertFalse(Arrays.equals(new float[] {-1f, -1f, -1f}, bias), "controller did not train: " + Arrays.toString(bias));
      assertTrue(net.conv(1).getParameters().get("weight").requiresGradient(), "backbone left frozen");
      double acc = DanceTraining.accuracy(net, clips, 8);
      assertTrue(acc >= 0 && acc <= 1);
      assertEquals(new Shape(1, 4, 20, 20), clips.clipShape());
    }
  }

  @Test
  void executedCostRatioIsOneWhenEverythingIsKept() {
    DjlEnvironment.ensureOffline();
    MovingDigits.Clips clips = MovingDigits.synthetic(4, 4, 20, 5);
    try (Model model = Model.newInstance("dance-cost", DjlEnvironment.ENGINE)) {
      DanceNet net = DanceNet.builder().setChannels(4, 8).setNumClasses(4).build();
      AapController ctl = new AapController(1);
      AapTrainingBlock block = new AapTrainingBlock(net, ctl, new float[] {0.1f}, clips.clipShape(), 0.5f);
      model.setBlock(block);
      block.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(4, 1, 4, 20, 20));
      // bias -100: thresholds sigmoid(-100) ~ 0, so every frame, channel and non-zero element is kept
      ai.djl.ndarray.NDArray b = ctl.outputLayer().getParameters().get("bias").getArray();
      b.set(new float[] {-100f, -100f, -100f});
      ctl.outputLayer().getParameters().get("weight").getArray().muli(0f);
      ai.djl.ndarray.NDArray x = model.getNDManager().create(clips.range(0, 4), new Shape(4, 1, 4, 20, 20));
      ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(model.getNDManager(), false);
      block.optCostTarget(MacCostTarget.EXECUTED);
      float[] exec = block.forward(ps, new ai.djl.ndarray.NDList(x), false).get(1).toFloatArray();
      for (float v : exec) {
        assertEquals(1f, v, 1e-5f);
      }
      block.optCostTarget(MacCostTarget.ZERO_SKIP);
      float[] zs = block.forward(ps, new ai.djl.ndarray.NDList(x), false).get(1).toFloatArray();
      for (float v : zs) {
        assertTrue(v > 0f && v < 1f, "zero-skip ratio " + v + " must drop the ReLU zeros of conv2's input");
      }
      net.freezeParameters(false);
    }
  }
}
