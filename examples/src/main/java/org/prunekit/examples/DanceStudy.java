package org.prunekit.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.dynamic.CostMeter;
import org.prunekit.dynamic.dance.AapController;
import org.prunekit.dynamic.dance.AvaLoss;
import org.prunekit.dynamic.dance.DanceNet;
import org.prunekit.dynamic.dance.DanceRunner;
import org.prunekit.dynamic.dance.DanceTraining;
import org.prunekit.dynamic.dance.MovingDigits;

/**
 * The DANCE study (docs/dynamic-dance.md): moving-MNIST clips (train digits for training clips,
 * test digits for evaluation clips), a small 3D CNN trained dense, AVA fine-tuning, AAP controller
 * training with the backbone frozen, then per-clip (batch 1) evaluation dense vs gated on the DJL
 * PyTorch engine: accuracy, executed and zero-skipping MACs and memory traffic, and latency.
 *
 * <p>Run: {@code java -cp examples/target/classes:$(cat examples/target/classpath.txt)
 * org.prunekit.examples.DanceStudy [--shared ../shared] [--train 3000] [--test 1000] [--epochs 3]
 * [--ava-epochs 1] [--onednn-off false] [--cost zero_skip|executed|both] [--temperature 0.5]
 * [--initial-bias -1] [--aap-epochs 2] [--lambda-mac 0.5] [--channels 16,32,64] [--seed 1]}.
 */
public final class DanceStudy {
  private DanceStudy() {}

  /** Runs the study and prints its report to standard output. */
  public static void main(String[] args) throws IOException {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    Path shared = Path.of(o.getOrDefault("shared", System.getProperty("prunekit.shared.dir", "../shared")));
    int nTrain = Integer.parseInt(o.getOrDefault("train", "3000"));
    int nTest = Integer.parseInt(o.getOrDefault("test", "1000"));
    int epochs = Integer.parseInt(o.getOrDefault("epochs", "3"));
    int avaEpochs = Integer.parseInt(o.getOrDefault("ava-epochs", "1"));
    int aapEpochs = Integer.parseInt(o.getOrDefault("aap-epochs", "2"));
    float lambdaAva = Float.parseFloat(o.getOrDefault("lambda-ava", "0.01"));
    float lambdaMac = Float.parseFloat(o.getOrDefault("lambda-mac", "0.5"));
    float featureScale = Float.parseFloat(o.getOrDefault("feature-scale", "1"));
    int frames = Integer.parseInt(o.getOrDefault("frames", "8"));
    int size = Integer.parseInt(o.getOrDefault("size", "32"));
    long seed = Long.parseLong(o.getOrDefault("seed", "1"));
    int timingRounds = Integer.parseInt(o.getOrDefault("timing-rounds", "3"));
    org.prunekit.dynamic.dance.MacCostTarget target =
        org.prunekit.dynamic.dance.MacCostTarget.valueOf(o.getOrDefault("cost", "BOTH").toUpperCase(Locale.ROOT));
    float temperature = Float.parseFloat(o.getOrDefault("temperature", "0.5"));
    float initialBias = Float.parseFloat(o.getOrDefault("initial-bias", "-1"));
    boolean oneDnnOff = Boolean.parseBoolean(o.getOrDefault("onednn-off", "false"));
    int[] channels = Arrays.stream(o.getOrDefault("channels", "16,32,64").split(",")).mapToInt(Integer::parseInt).toArray();
    PrintStream out = System.out;
    DjlEnvironment.ensureOffline();
    Engine.getInstance().setRandomSeed((int) seed);

    Path mnist = shared.resolve("data").resolve("mnist");
    MovingDigits.Clips train;
    MovingDigits.Clips test;
    if (Files.isDirectory(mnist)) {
      train = MovingDigits.generate(IdxDataset.loadDir(mnist, "train"), nTrain, frames, size, seed);
      test = MovingDigits.generate(IdxDataset.loadDir(mnist, "t10k"), nTest, frames, size, seed + 1000);
      out.printf("data: moving MNIST from %s: %d training clips (train digits), %d test clips (t10k digits), %s%n",
          mnist, nTrain, nTest, train.clipShape());
    } else {
      train = MovingDigits.synthetic(nTrain, frames, size, seed);
      test = MovingDigits.synthetic(nTest, frames, size, seed + 1000);
      out.printf("data: NO MNIST at %s, synthetic glyph fallback (%d / %d clips)%n", mnist, nTrain, nTest);
    }
    try (Model model = Model.newInstance("dance-study", DjlEnvironment.ENGINE)) {
      DanceNet net = DanceNet.builder().setChannels(channels).setNumClasses(MovingDigits.CLASSES.length).build();
      model.setBlock(net);
      long t0 = System.nanoTime();
      DanceTraining.train(model, new AvaLoss(0f, 1e-6f), train, epochs, 32, 1e-3f, seed, oneDnnOff);
      double accDense = DanceTraining.accuracy(net, test, 100);
      double[] vBefore = variability(net, test, 200);
      out.printf(Locale.ROOT, "dense training: %d epochs in %.0f s, test accuracy %.2f%%, mean v_l %s%n", epochs,
          secs(t0), 100 * accDense, fmt(vBefore));
      t0 = System.nanoTime();
      DanceTraining.train(model, new AvaLoss(lambdaAva, 1e-6f), train, avaEpochs, 32, 3e-4f, seed + 1, oneDnnOff);
      double accAva = DanceTraining.accuracy(net, test, 100);
      double[] vAfter = variability(net, test, 200);
      out.printf(Locale.ROOT, "AVA fine-tune (lambda %.3g): %d epochs in %.0f s, test accuracy %.2f%%, mean v_l %s%n",
          lambdaAva, avaEpochs, secs(t0), 100 * accAva, fmt(vAfter));
      float[] mu = DanceTraining.runningMeans(net, train, 1000, 100);
      AapController ctl = new AapController(net.numConvs() - 1, 1f, 1f, featureScale);
      t0 = System.nanoTime();
      DanceTraining.trainController(net, ctl, mu, train, lambdaMac, target, temperature, initialBias, aapEpochs, 32,
          1e-3f, seed + 2, oneDnnOff);
      out.printf(Locale.ROOT, "AAP controller (lambda_mac %.3g, cost %s, temperature %.2g): %d epochs in %.0f s,"
          + " running means %s%n", lambdaMac, target, temperature, aapEpochs, secs(t0), Arrays.toString(mu));
      evaluate(out, net, ctl, mu, test, timingRounds);
    }
  }

  private static void evaluate(PrintStream out, DanceNet net, AapController ctl, float[] mu, MovingDigits.Clips test,
      int rounds) {
    try (DanceRunner runner = DanceRunner.builder().setNet(net).setClipShape(test.clipShape()).setRunningMeans(mu)
            .optController(ctl).build();
        DanceRunner fast = DanceRunner.builder().setNet(net).setClipShape(test.clipShape()).setRunningMeans(mu)
            .optController(ctl).optExactAccounting(false).build();
        DanceRunner c2 = DanceRunner.builder().setNet(net).setClipShape(test.clipShape()).setRunningMeans(mu)
            .optController(ctl).optExactAccounting(false).optConv2dKernels(true).build()) {
      CostMeter dense = new CostMeter();
      CostMeter gated = new CostMeter();
      int okDense = 0;
      int okGated = 0;
      float[][] clips = new float[test.size()][];
      for (int i = 0; i < test.size(); i++) {
        clips[i] = test.clip(i);
        DanceRunner.Result d = runner.dense(clips[i]);
        DanceRunner.Result g = runner.gated(clips[i]);
        dense.record(d.cost());
        gated.record(g.cost());
        okDense += d.predicted() == test.labels()[i] ? 1 : 0;
        okGated += g.predicted() == test.labels()[i] ? 1 : 0;
      }
      int n = test.size();
      out.printf(Locale.ROOT, "%nper-clip evaluation on %d test clips (batch 1)%n", n);
      out.printf(Locale.ROOT, "accuracy: dense %.2f%%, gated %.2f%% (%+.2f points)%n", 100.0 * okDense / n,
          100.0 * okGated / n, 100.0 * (okGated - okDense) / n);
      Map<String, Double> dc = dense.meanCounters();
      Map<String, Double> gc = gated.meanCounters();
      out.printf(Locale.ROOT, "executed MACs/clip: dense %.0f, gated %.0f -> %.1f%% saved%n", dense.meanMacs(),
          gated.meanMacs(), 100 * (1 - gated.meanMacs() / dense.meanMacs()));
      out.printf(Locale.ROOT, "executed memory bytes/clip: dense %.0f, gated %.0f -> %.1f%% saved%n",
          dense.meanMemoryAccessBytes(), gated.meanMemoryAccessBytes(),
          100 * (1 - gated.meanMemoryAccessBytes() / dense.meanMemoryAccessBytes()));
      out.printf(Locale.ROOT, "zero-skip MACs/clip (spec count, ReLU zeros skipped in both): dense %.0f, gated %.0f"
          + " -> %.1f%% saved%n", dc.get("zeroSkipMacs"), gc.get("zeroSkipMacs"),
          100 * (1 - gc.get("zeroSkipMacs") / dc.get("zeroSkipMacs")));
      out.printf(Locale.ROOT, "zero-skip memory bytes/clip: dense %.0f, gated %.0f -> %.1f%% saved%n",
          dc.get("zeroSkipMemoryBytes"), gc.get("zeroSkipMemoryBytes"),
          100 * (1 - gc.get("zeroSkipMemoryBytes") / dc.get("zeroSkipMemoryBytes")));
      out.printf(Locale.ROOT, "gated layers keep on average: frames %.1f%%, channels %.1f%%, features %.1f%%%n",
          100 * gc.get("framesKept"), 100 * gc.get("channelsKept"), 100 * gc.getOrDefault("featureDensity", 1.0));
      // latency: interleaved rounds over all clips, median per-clip time of each variant
      int warm = Math.min(100, n);
      for (int i = 0; i < warm; i++) {
        runner.dense(clips[i]);
        runner.gated(clips[i]);
        fast.gated(clips[i]);
        c2.dense(clips[i]);
        c2.gated(clips[i]);
      }
      double[] td = new double[rounds];
      double[] tg = new double[rounds];
      double[] tf = new double[rounds];
      double[] td2 = new double[rounds];
      double[] tg2 = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long s2 = System.nanoTime();
        for (float[] c : clips) {
          c2.dense(c);
        }
        td2[r] = (System.nanoTime() - s2) / 1e6 / n;
        s2 = System.nanoTime();
        for (float[] c : clips) {
          c2.gated(c);
        }
        tg2[r] = (System.nanoTime() - s2) / 1e6 / n;
        long s = System.nanoTime();
        for (float[] c : clips) {
          fast.dense(c);
        }
        td[r] = (System.nanoTime() - s) / 1e6 / n;
        s = System.nanoTime();
        for (float[] c : clips) {
          runner.gated(c);
        }
        tg[r] = (System.nanoTime() - s) / 1e6 / n;
        s = System.nanoTime();
        for (float[] c : clips) {
          fast.gated(c);
        }
        tf[r] = (System.nanoTime() - s) / 1e6 / n;
      }
      double md = median(td);
      double mg = median(tg);
      double mf = median(tf);
      out.printf(Locale.ROOT, "latency ms/clip (median of %d rounds over %d clips, batch 1): dense %.3f, gated %.3f"
          + " (%.2fx), gated without exact zero-skip accounting %.3f (%.2fx)%n", rounds, n, md, mg, md / mg, mf,
          md / mf);
      out.printf(Locale.ROOT, "latency ms/clip with conv2d-decomposition kernels for every conv (dense and gated, no exact"
          + " accounting): dense %.3f, gated %.3f (%.2fx)%n", median(td2), median(tg2), median(td2) / median(tg2));
      DanceRunner.Result any = c2.gated(clips[0]);
      out.printf(Locale.ROOT, "executed MACs/clip with conv2d kernels: dense %d, gated (clip 0) %d%n", c2.denseMacs(),
          any.cost().macs());
    }
  }

  private static double[] variability(DanceNet net, MovingDigits.Clips clips, int n) {
    Shape cs = clips.clipShape();
    NDManager base = net.conv(0).getParameters().get("weight").getArray().getManager();
    try (NDManager m = base.newSubManager()) {
      NDArray x = m.create(clips.range(0, Math.min(n, clips.size())),
          new Shape(Math.min(n, clips.size()), cs.get(0), cs.get(1), cs.get(2), cs.get(3)));
      NDList outs = net.forward(new ParameterStore(m, false), new NDList(x), false);
      double[] v = new double[outs.size() - 1];
      for (int l = 1; l < outs.size(); l++) {
        v[l - 1] = AvaLoss.variability(outs.get(l), AvaLoss.DEFAULT_EPS).mean().getFloat();
      }
      return v;
    }
  }

  private static String fmt(double[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v[i]));
    }
    return b.append(']').toString();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
