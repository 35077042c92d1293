package org.prunekit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostReport;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;

/**
 * The main job: train a small CNN on real Fashion-MNIST images, prune it with magnitude at several
 * unstructured sparsities, fine-tune each with its masks held, and print what that did to
 * parameters, MACs, accuracy and latency.
 *
 * <p>By default it uses the Fashion-MNIST test set shipped in {@code examples/data/fashion-mnist}
 * (first 8,000 images train, last 2,000 evaluate); with a data directory holding {@code train-*}
 * and {@code t10k-*} IDX files it trains on the full training set and evaluates on the test set.
 */
public final class FashionMnistDemo {
  /**
   * Demo settings.
   *
   * @param dataDir full IDX data (train-* and t10k-*), or null for the shipped test set
   * @param trainLimit use at most this many training images (0 = all)
   * @param testLimit use at most this many evaluation images (0 = all)
   */
  public record Options(
      Path dataDir, int epochs, int fineTuneEpochs, double[] sparsities, int batchSize, long seed, Path outDir,
      int trainLimit, int testLimit) {
    /** Validates the settings. */
    public Options {
      if (epochs < 1 || fineTuneEpochs < 0 || batchSize < 1 || trainLimit < 0 || testLimit < 0) {
        throw new IllegalArgumentException(
            "epochs >= 1, fine-tune epochs >= 0, batch size >= 1 and non-negative limits are required");
      }
      for (double s : sparsities) {
        if (!(s >= 0 && s < 1)) {
          throw new IllegalArgumentException("sparsity must be in [0, 1), got " + s);
        }
      }
      sparsities = sparsities.clone();
    }
  }

  /** One row of the result table. */
  public record Row(
      String model, double sparsity, long nonZeroParams, long params, long effectiveMacs, long denseMacs,
      double accuracyPruned, double accuracyFineTuned, double latencyMsBatch1, double latencyMsBatch64) {}

  private FashionMnistDemo() {}

  /** The demo's CNN: two conv blocks and two linear layers (about 207k parameters). */
  public static Graph buildModel(long seed) {
    return GraphBuilder.create(seed)
        .input("image", 1, 28, 28)
        .conv2d("conv1", 16, 3, 1, 1).relu().maxPool2d(2)
        .conv2d("conv2", 32, 3, 1, 1).relu().maxPool2d(2)
        .flatten()
        .linear("fc1", 128).relu()
        .linear("fc2", 10)
        .build();
  }

  /** Runs the whole job, printing progress and the table to {@code out}. */
  public static List<Row> run(Options o, PrintStream out) throws IOException {
    IdxDataset train;
    IdxDataset test;
    if (o.dataDir() == null) {
      IdxDataset all = IdxDataset.loadDir(shippedData(), "t10k").scaled(1f / 255f);
      train = all.subset(0, 8000);
      test = all.subset(8000, all.size());
      out.printf("data: shipped Fashion-MNIST test set, %d training / %d evaluation images%n", train.size(), test.size());
    } else {
      train = IdxDataset.loadDir(o.dataDir(), "train").scaled(1f / 255f);
      test = IdxDataset.loadDir(o.dataDir(), "t10k").scaled(1f / 255f);
      out.printf("data: %s, %d training / %d test images%n", o.dataDir(), train.size(), test.size());
    }
    if (o.trainLimit() > 0 && o.trainLimit() < train.size()) {
      train = train.subset(0, o.trainLimit());
    }
    if (o.testLimit() > 0 && o.testLimit() < test.size()) {
      test = test.subset(0, o.testLimit());
    }
    Graph dense = buildModel(o.seed());
    int perEpoch = (train.size() + o.batchSize() - 1) / o.batchSize();

    out.printf("training the dense CNN (%d epochs, Adam lr 1e-3, batch %d) ...%n", o.epochs(), o.batchSize());
    ProgressBar bar = new ProgressBar(out, "train", (long) perEpoch * o.epochs());
    ClassifierTraining.train(dense, train, o.epochs(), o.batchSize(), 1e-3f, bar::update);
    CostReport denseCost = CostModel.of(dense, 1);
    List<Row> rows = new ArrayList<>();
    rows.add(measure("dense", 0, dense, test, Double.NaN));
    out.printf("dense accuracy %.2f%%%n", 100 * rows.get(0).accuracyFineTuned());
    if (o.outDir() != null) {
      DemoOutput.save(dense, denseCost, 0, o, out);
    }

    for (double s : o.sparsities()) {
      Graph g = dense.copy();
      Pruning.prune(g, PruningSpec.of("magnitude", s, Scope.LAYER));
      double before = ClassifierTraining.accuracy(g, test, 500);
      out.printf("pruned %.0f%%: accuracy %.2f%%, fine-tuning %d epoch(s) with masks held ...%n",
          100 * s, 100 * before, o.fineTuneEpochs());
      if (o.fineTuneEpochs() > 0) {
        ProgressBar ft = new ProgressBar(out, "fine-tune", (long) perEpoch * o.fineTuneEpochs());
        ClassifierTraining.train(g, train, o.fineTuneEpochs(), o.batchSize(), 5e-4f, ft::update);
      }
      rows.add(measure("magnitude", s, g, test, before));
      if (o.outDir() != null) {
        DemoOutput.save(g, denseCost, s, o, out);
      }
    }
    out.println();
    out.print(table(rows));
    return rows;
  }

  private static Row measure(String name, double s, Graph g, IdxDataset test, double accuracyPruned) {
    CostTotals c = CostModel.of(g, 1).total();
    double acc = ClassifierTraining.accuracy(g, test, 500);
    double l1 = Latency.medianMillis(g, test.batch(0, 1), 20, 200);
    double l64 = Latency.medianMillis(g, test.batch(0, 64), 5, 30);
    return new Row(name, s, c.nonZeroParams(), c.params(), c.effectiveMacs(), c.macs(),
        Double.isNaN(accuracyPruned) ? acc : accuracyPruned, acc, l1, l64);
  }

  /** The result table as text. */
  public static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-10s %8s %14s %12s %12s %12s %10s %10s%n",
        "model", "sparsity", "non-zero par.", "eff. MACs", "acc pruned", "acc tuned", "ms b=1", "ms b=64"));
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%-10s %7.0f%% %14d %12d %11.2f%% %11.2f%% %10.3f %10.3f%n",
          r.model(), 100 * r.sparsity(), r.nonZeroParams(), r.effectiveMacs(),
          100 * r.accuracyPruned(), 100 * r.accuracyFineTuned(), r.latencyMsBatch1(), r.latencyMsBatch64()));
    }
    sb.append("MACs per image; latency: median forward pass on DJL PyTorch (CPU). Masked weights still run\n"
        + "through dense kernels, so unstructured sparsity alone does not lower latency.\n");
    return sb.toString();
  }

  /** The shipped data directory ({@code examples/data/fashion-mnist} under the project root). */
  static Path shippedData() {
    String home = System.getProperty("prunekit.home");
    List<Path> candidates = new ArrayList<>();
    if (home != null) {
      candidates.add(Path.of(home, "examples", "data", "fashion-mnist"));
    }
    candidates.add(Path.of("examples", "data", "fashion-mnist"));
    candidates.add(Path.of("data", "fashion-mnist"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p.resolve("t10k-images-idx3-ubyte.gz"))) {
        return p;
      }
    }
    throw new IllegalStateException("shipped Fashion-MNIST data not found; looked in " + candidates);
  }
}
