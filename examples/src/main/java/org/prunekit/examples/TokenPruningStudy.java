package org.prunekit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.VitConfig;
import org.prunekit.dynamic.CostMeter;
import org.prunekit.dynamic.InferenceCost;
import org.prunekit.dynamic.skip.LayerSkipper;
import org.prunekit.dynamic.token.ClsVit;
import org.prunekit.dynamic.token.TokenPruner;
import org.prunekit.dynamic.token.TokenProxy;
import org.prunekit.dynamic.token.TransformerModel;
import org.prunekit.dynamic.token.TransformerRunner;

/**
 * Token pruning and layer skipping on a class-token ViT trained here on Fashion-MNIST (patch 4:
 * 49 tokens + class token): accuracy, MACs per input and measured speed-up at batch 1 and 32 for 0
 * / 25 / 50 % of the patch tokens pruned after a chosen block (V-norm and attention-score proxies),
 * and for 1 and 2 blocks skipped (1 - cos importance, recalculated every 10 calls).
 *
 * <p>Arguments ({@code --name value}): {@code data-dir} (default {@code ../shared/data/fashion-mnist}
 * when it has the 60k training set, else the shipped t10k split 8000/2000), {@code epochs} (1),
 * {@code train-samples} (32000, sized for a few minutes on 2 busy cores; 0 = all), {@code model-dir} (target/token-study: the trained model is saved
 * there and reused), {@code batch} (training batch, 64), {@code prune-after} (0-based block, default 0), {@code dim} (32), {@code depth}
 * (6), {@code rounds} (timing rounds, 7).
 *
 * <p>Run libtorch single-threaded on a shared machine ({@code OMP_NUM_THREADS=1
 * -Dai.djl.pytorch.num_threads=1}): with two threads on two busy cores its OpenMP workers wait on
 * each other and a training step was 6x slower here.
 */
public final class TokenPruningStudy {
  /** Fashion-MNIST pixel mean and standard deviation (after scaling to [0, 1]). */
  static final float MEAN = 0.2860f;

  /** See {@link #MEAN}. */
  static final float STD = 0.3530f;

  private TokenPruningStudy() {}

  /** Runs the study and prints a Markdown table. */
  public static void main(String[] args) throws IOException {
    PrintStream out = System.out;
    String dataDir = arg(args, "data-dir", null);
    int epochs = Integer.parseInt(arg(args, "epochs", "1"));
    int trainSamples = Integer.parseInt(arg(args, "train-samples", "32000"));
    int batch = Integer.parseInt(arg(args, "batch", "64"));
    Path modelDir = Path.of(arg(args, "model-dir", "target/token-study"));
    int pruneAfter = Integer.parseInt(arg(args, "prune-after", "0"));
    int dim = Integer.parseInt(arg(args, "dim", "32"));
    int depth = Integer.parseInt(arg(args, "depth", "6"));
    int rounds = Integer.parseInt(arg(args, "rounds", "7"));
    VitConfig c = VitConfig.builder().optInput(1, 28).optPatchSize(4).optDim(dim).optDepth(depth).optHeads(4, 4)
        .optMlpDim(2 * dim).optClasses(10).optSeed(1).build();

    IdxDataset train;
    IdxDataset test;
    Path shared = Path.of(dataDir != null ? dataDir : "../shared/data/fashion-mnist");
    if (Files.isRegularFile(shared.resolve("train-images-idx3-ubyte.gz"))) {
      train = IdxDataset.loadDir(shared, "train").scaled(1f / 255f).normalized(MEAN, STD);
      test = IdxDataset.loadDir(shared, "t10k").scaled(1f / 255f).normalized(MEAN, STD);
      out.println("data: " + shared + " (train " + train.size() + ", test " + test.size() + ")");
    } else {
      IdxDataset all = IdxDataset.loadDir(Path.of("examples/data/fashion-mnist"), "t10k").scaled(1f / 255f)
          .normalized(MEAN, STD);
      train = all.subset(0, 8000);
      test = all.subset(8000, all.size());
      out.println("data: shipped t10k split (train 8000, test 2000); no 60k training set found at " + shared);
    }
    if (trainSamples > 0 && trainSamples < train.size()) {
      train = train.subset(0, trainSamples);
    }
    TransformerModel model = loadOrTrain(c, train, epochs, batch, modelDir, out);

    out.printf(Locale.ROOT, "ViT: dim %d, depth %d, 4 heads, MLP %d, %d tokens + class token; pruning after block "
        + "%d (0-based); %d test images%n", dim, depth, 2 * dim, c.tokens(), pruneAfter, test.size());
    Tensor[] one = ClsVit.inputs(test.batch(0, 1), c);
    Tensor[] b32 = ClsVit.inputs(test.batch(0, 32), c);
    List<String> rows = new ArrayList<>();
    try (TransformerRunner dense = TransformerRunner.create(model)) {
      double acc0 = accuracy(test, c, dense::predict, 250);
      InferenceCost denseCost;
      try (TokenPruner p = pruner(model, pruneAfter, 1.0, TokenProxy.V_NORM)) {
        denseCost = p.denseCost(1);
      }
      rows.add(row("dense", acc0, acc0, denseCost, denseCost, 1.0, 1.0));
      for (TokenProxy proxy : TokenProxy.values()) {
        for (double keep : new double[] {0.75, 0.5}) {
          try (TokenPruner p = pruner(model, pruneAfter, keep, proxy)) {
            double acc = accuracy(test, c, in -> p.run(in).output(), 250);
            double s1 = speedup(dense::predict, in -> p.run(in).output(), one, rounds, 40);
            double s32 = speedup(dense::predict, in -> p.run(in).output(), b32, rounds, 4);
            rows.add(row(String.format(Locale.ROOT, "%s, %.0f%% pruned (%d of %d tokens kept)", proxy,
                100 * (1 - keep), p.keptTokens(), c.tokens() + 1), acc0, acc, p.cost(1), denseCost, s1, s32));
          }
        }
      }
      for (int k = 1; k <= 2; k++) {
        try (LayerSkipper s = LayerSkipper.builder().setModel(model).setSkipCount(k).optPeriod(10).build()) {
          CostMeter meter = new CostMeter();
          double acc = accuracy(test, c, in -> {
            LayerSkipper.Result r = s.run(in);
            meter.record(perInput(r.cost(), in[0].shape().get(0)));
            return r.output();
          }, 250);
          s.reset();
          double s1 = speedup(dense::predict, in -> s.run(in).output(), one, rounds, 40);
          s.reset();
          double s32 = speedup(dense::predict, in -> s.run(in).output(), b32, rounds, 4);
          InferenceCost mean = InferenceCost.of(Math.round(meter.meanMacs()), Math.round(meter.meanMemoryAccessBytes()),
              1).withCounter("layersSkipped", meter.meanCounters().get("layersSkipped"));
          rows.add(row(String.format(Locale.ROOT, "skip %d of %d blocks (period 10 batches of 250)", k, depth), acc0,
              acc, mean, denseCost, s1, s32));
        }
      }
    }
    workedExample(model, c, test, pruneAfter, out);
    out.println();
    out.println("| setting | accuracy | change (points) | MACs / input | MAC saving | speed-up batch 1 | speed-up batch 32 |");
    out.println("|---|---|---|---|---|---|---|");
    rows.forEach(out::println);
  }

  /** One test image at 50 % pruned with each proxy: prediction, kept patches as a map, cost. */
  private static void workedExample(TransformerModel model, VitConfig c, IdxDataset test, int after, PrintStream out) {
    Tensor[] in = ClsVit.inputs(test.batch(0, 1), c);
    int side = c.imageSize() / c.patchSize();
    for (TokenProxy proxy : TokenProxy.values()) {
      try (TokenPruner p = pruner(model, after, 0.5, proxy)) {
        TokenPruner.Result r = p.run(in);
        float[] dense = p.runner().predict(in).data();
        out.printf(Locale.ROOT, "%nworked example: test image 0 (label %d), %s, keep ratio 0.5 after block %d%n",
            test.label(0), proxy, after);
        out.printf(Locale.ROOT, "  dense predicts %d, pruned predicts %d; kept tokens %s%n", argmax(dense),
            argmax(r.output().data()), Arrays.toString(r.kept()[0]));
        boolean[] kept = new boolean[side * side + 1];
        for (int t : r.kept()[0]) {
          kept[t] = true;
        }
        for (int y = 0; y < side; y++) {
          StringBuilder line = new StringBuilder("  ");
          for (int x = 0; x < side; x++) {
            line.append(kept[1 + y * side + x] ? '#' : '.');
          }
          out.println(line);
        }
        out.println("  cost per input: " + r.costPerInput() + " (dense " + p.denseCost(1).macs() + " MACs)");
      }
    }
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static InferenceCost perInput(InferenceCost batchCost, int batch) {
    return new InferenceCost(batchCost.macs() / batch, batchCost.memoryAccessBytes() / batch, 1,
        batchCost.counters().entrySet().stream().collect(java.util.stream.Collectors.toMap(
            java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
  }

  private static String row(String name, double acc0, double acc, InferenceCost cost, InferenceCost dense, double s1,
      double s32) {
    return String.format(Locale.ROOT, "| %s | %.2f%% | %+.2f | %.3fM | %.1f%% | %.2fx | %.2fx |", name, 100 * acc,
        100 * (acc - acc0), cost.macs() / 1e6, 100 * cost.macSavingVs(dense), s1, s32);
  }

  private static TokenPruner pruner(TransformerModel m, int after, double keep, TokenProxy proxy) {
    return TokenPruner.builder().setModel(m).setPruneAfterBlock(after).setKeepRatio(keep).optProxy(proxy).build();
  }

  private static TransformerModel loadOrTrain(VitConfig c, IdxDataset train, int epochs, int batch, Path dir,
      PrintStream out) throws IOException {
    String tag = String.format(Locale.ROOT, "clsvit-d%d-l%d-e%d-n%d-b%d", c.dim(), c.depth(), epochs, train.size(),
        batch);
    Path enc = dir.resolve(tag + "-encoder.pkm");
    Path head = dir.resolve(tag + "-head.pkm");
    if (Files.isRegularFile(enc) && Files.isRegularFile(head)) {
      out.println("model: loaded " + enc + " and " + head);
      return new TransformerModel(ModelFormat.load(enc).graph(), TransformerModel.Readout.CLS,
          ModelFormat.load(head).graph());
    }
    TransformerModel m = ClsVit.build(c);
    int perEpoch = (train.size() + batch - 1) / batch;
    long t0 = System.nanoTime();
    float loss = ClsVitTraining.train(m, c, train, epochs, batch, 2e-3f, done -> {
      if (done % 50 == 0) {
        out.printf(Locale.ROOT, "  step %d / %d (%.0f s)%n", done, epochs * perEpoch, (System.nanoTime() - t0) / 1e9);
      }
    });
    out.printf(Locale.ROOT, "trained %d epoch(s), batch %d, on %d images in %.0f s, last-epoch loss %.4f%n", epochs,
        batch, train.size(), (System.nanoTime() - t0) / 1e9, loss);
    Files.createDirectories(dir);
    Provenance p = Provenance.builder().setCriterion("none").setSeed(c.seed())
        .optSetting("model", "ClsVit " + c).optSetting("epochs", Integer.toString(epochs))
        .optSetting("trainSamples", Integer.toString(train.size())).build();
    ModelFormat.save(m.encoder(), p, enc);
    ModelFormat.save(m.head(), p, head);
    return m;
  }

  private static double accuracy(IdxDataset data, VitConfig c, Function<Tensor[], Tensor> f, int batch) {
    long correct = 0;
    for (int from = 0; from < data.size(); from += batch) {
      int to = Math.min(from + batch, data.size());
      float[] l = f.apply(ClsVit.inputs(data.batch(from, to), c)).data();
      int[] labels = data.labels(from, to);
      for (int i = 0; i < labels.length; i++) {
        int best = 0;
        for (int k = 1; k < 10; k++) {
          if (l[i * 10 + k] > l[i * 10 + best]) {
            best = k;
          }
        }
        correct += best == labels[i] ? 1 : 0;
      }
    }
    return (double) correct / data.size();
  }

  /**
   * Dense time over controlled time: in each round both run {@code reps} times back to back
   * (dense first); the ratio of the medians over rounds (after one warm-up round).
   */
  private static double speedup(Function<Tensor[], Tensor> dense, Function<Tensor[], Tensor> ctrl, Tensor[] in,
      int rounds, int reps) {
    double[] d = new double[rounds];
    double[] p = new double[rounds];
    for (int r = -1; r < rounds; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        dense.apply(in);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        ctrl.apply(in);
      }
      long t2 = System.nanoTime();
      if (r >= 0) {
        d[r] = t1 - t0;
        p[r] = t2 - t1;
      }
    }
    Arrays.sort(d);
    Arrays.sort(p);
    return d[rounds / 2] / p[rounds / 2];
  }

  private static String arg(String[] args, String name, String def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--" + name)) {
        return args[i + 1];
      }
    }
    return def;
  }
}
