package org.prunekit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.prunekit.bench.AgfRoutingFixture;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.dynamic.CostMeter;
import org.prunekit.dynamic.route.ConfidencePrior;
import org.prunekit.dynamic.route.ExpertRouter;
import org.prunekit.dynamic.route.RoutedBatch;
import org.prunekit.dynamic.route.ThresholdCalibration;

/**
 * AGF light/heavy routing on Fashion-MNIST (spec 3.3): trains a LeNet-5 (16/32/128/64) as the
 * heavy expert, prunes half of every layer's units by AGF kinetic utility into a physically
 * smaller light expert (fine-tuned one epoch), calibrates the routing threshold on a validation
 * split (smallest cost that keeps the dense accuracy), and reports on the held-out test split:
 * dense, light and routed accuracy, heavy-expert usage, MACs per image and wall-clock latency of
 * dense vs routed, for the max-softmax prior (default) and the entropy prior. Splits: {@link
 * AgfRoutingFixture#splits}.
 *
 * <p>Run: {@code java -cp examples/target/classes:$(cat examples/target/classpath.txt)
 * org.prunekit.examples.AgfRoutingStudy --shared ../shared} (see {@code docs/dynamic-routing.md}).
 */
public final class AgfRoutingStudy {
  /**
   * One prior's result on the test split.
   *
   * @param calibration the threshold chosen on the validation split
   * @param denseAccuracy test accuracy of the dense model
   * @param lightAccuracy test accuracy of the light expert alone
   * @param routedAccuracy test accuracy of the routed system
   * @param heavyUsage fraction of test images escalated
   * @param routedMacs mean MACs per test image, routed
   * @param denseMacs MACs per image of the dense model
   * @param denseMillis median wall time of one pass over the test split, dense, batches of 256
   * @param routedMillis the same, routed
   * @param denseMillisB1 median per-image wall time at batch 1 (first 200 test images), dense
   * @param routedMillisB1 the same, routed
   */
  public record Row(ThresholdCalibration calibration, double denseAccuracy, double lightAccuracy,
      double routedAccuracy, double heavyUsage, double routedMacs, long denseMacs, double denseMillis,
      double routedMillis, double denseMillisB1, double routedMillisB1) {}

  /** Test images timed one at a time (batch 1). */
  static final int BATCH1_IMAGES = 200;

  private AgfRoutingStudy() {}

  /**
   * Runs the study and prints progress and a Markdown table.
   *
   * @param shared the shared directory, or null for the shipped data
   * @param trainImages training images when the full training file exists
   * @param epochs dense training epochs
   * @param ratio AGF channel ratio
   * @param fineTune light-expert fine-tuning epochs
   * @param timingRuns repetitions of each latency measurement (median reported; 0 skips timing)
   */
  public static List<Row> run(Path shared, int trainImages, int epochs, double ratio, int fineTune, int timingRuns,
      PrintStream out) throws IOException {
    AgfRoutingFixture.Splits s = AgfRoutingFixture.splits(shared, AgfRoutingFixture.shippedDir(), trainImages);
    out.println("data: " + s.source());
    AgfRoutingFixture.Experts e = AgfRoutingFixture.experts(s, epochs, ratio, 1024, fineTune, 42);
    out.printf(Locale.ROOT, "dense LeNet-5 16/32/128/64 trained %d epoch(s) (last loss %.4f); AGF light expert: %s;"
        + " fine-tuned %d epoch(s); %.1f s%n", epochs, e.denseLoss(), e.agf().report().explain(), fineTune, e.seconds());
    List<Row> rows = new ArrayList<>();
    for (ConfidencePrior prior : ConfidencePrior.values()) {
      try (ExpertRouter r = ExpertRouter.builder().setLight(e.light()).setHeavy(e.dense()).optPrior(prior)
          .setThreshold(0).build()) {
        ThresholdCalibration cal = r.calibrate(s.validation().images(), s.validation().labels(), 0.0);
        out.println("validation: " + cal.explain());
        r.setThreshold(cal.threshold());
        rows.add(evaluate(r, cal, s.test(), timingRuns));
        out.print(table(rows.subList(rows.size() - 1, rows.size()))); // printed as soon as it is known
      }
    }
    out.println();
    out.print(table(rows));
    return rows;
  }

  private static Row evaluate(ExpertRouter r, ThresholdCalibration cal, IdxDataset test, int runs) {
    Tensor x = test.images();
    int[] y = test.labels();
    double dense = accuracy(RoutedBatch.argmax(r.predictHeavy(x)), y);
    double light = accuracy(RoutedBatch.argmax(r.predictLight(x)), y);
    CostMeter meter = new CostMeter();
    int[] pred = new int[y.length];
    for (int from = 0; from < y.length; from += 256) {
      int to = Math.min(from + 256, y.length);
      RoutedBatch b = r.route(test.batch(from, to));
      b.costs().forEach(meter::record);
      System.arraycopy(b.predictions(), 0, pred, from, to - from);
    }
    double routed = accuracy(pred, y);
    double usage = meter.meanCounters().get(ExpertRouter.HEAVY_USED);
    double dMs = Double.NaN, rMs = Double.NaN, d1 = Double.NaN, r1 = Double.NaN;
    if (runs > 0) {
      List<Tensor> batches = new ArrayList<>();
      for (int from = 0; from < y.length; from += 256) {
        batches.add(test.batch(from, Math.min(from + 256, y.length)));
      }
      List<Tensor> singles = new ArrayList<>();
      for (int i = 0; i < Math.min(BATCH1_IMAGES, y.length); i++) {
        singles.add(test.batch(i, i + 1));
      }
      dMs = median(runs, () -> batches.forEach(r::predictHeavy));
      rMs = median(runs, () -> batches.forEach(r::route));
      d1 = median(runs, () -> singles.forEach(r::predictHeavy)) / singles.size();
      r1 = median(runs, () -> singles.forEach(r::route)) / singles.size();
    }
    return new Row(cal, dense, light, routed, usage, meter.meanMacs(), r.heavyCost().macs(), dMs, rMs, d1, r1);
  }

  private static double median(int runs, Runnable pass) {
    pass.run(); // warm-up
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      pass.run();
      t[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(t);
    return t[runs / 2];
  }

  private static double accuracy(int[] pred, int[] labels) {
    int k = 0;
    for (int i = 0; i < pred.length; i++) {
      k += pred[i] == labels[i] ? 1 : 0;
    }
    return (double) k / pred.length;
  }

  /** The result table as Markdown. */
  public static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder("| prior | threshold | val heavy usage | test dense acc | test light acc"
        + " | test routed acc | test heavy usage | MACs/image routed vs dense | test pass ms (batch 256) dense / routed"
        + " | ms/image (batch 1) dense / routed |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %.4f | %.1f%% | %.2f%% | %.2f%% | %.2f%% | %.1f%% | %,.0f / %,d"
              + " (%.3fx) | %.1f / %.1f (%.2fx) | %.3f / %.3f (%.2fx) |%n",
          r.calibration().prior().name().toLowerCase(Locale.ROOT), r.calibration().threshold(),
          100 * r.calibration().heavyUsage(), 100 * r.denseAccuracy(), 100 * r.lightAccuracy(),
          100 * r.routedAccuracy(), 100 * r.heavyUsage(), r.routedMacs(), r.denseMacs(),
          r.routedMacs() / r.denseMacs(), r.denseMillis(), r.routedMillis(), r.denseMillis() / r.routedMillis(),
          r.denseMillisB1(), r.routedMillisB1(), r.denseMillisB1() / r.routedMillisB1()));
    }
    return sb.toString();
  }

  /**
   * Command line: {@code [--shared DIR|none] [--train N] [--epochs N] [--ratio R] [--finetune N]
   * [--runs N]}; defaults {@code --shared ../shared --train 50000 --epochs 3 --ratio 0.5 --finetune
   * 1 --runs 5}.
   */
  public static void main(String[] args) throws IOException {
    Path shared = Path.of(System.getProperty("prunekit.shared.dir", "../shared"));
    int train = 50_000, epochs = 3, fineTune = 1, runs = 5;
    double ratio = 0.5;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--shared" -> shared = v.equals("none") ? null : Path.of(v);
        case "--train" -> train = Integer.parseInt(v);
        case "--epochs" -> epochs = Integer.parseInt(v);
        case "--ratio" -> ratio = Double.parseDouble(v);
        case "--finetune" -> fineTune = Integer.parseInt(v);
        case "--runs" -> runs = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; known: --shared --train --epochs --ratio --finetune --runs");
      }
    }
    if (shared != null && !Files.isDirectory(shared)) {
      shared = null;
    }
    run(shared, train, epochs, ratio, fineTune, runs, System.out);
  }
}
