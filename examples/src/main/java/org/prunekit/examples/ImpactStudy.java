package org.prunekit.examples;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prunekit.analysis.impact.CircuitDiscovery;
import org.prunekit.analysis.impact.ImpactAnalyzer;
import org.prunekit.analysis.impact.ImpactData;
import org.prunekit.analysis.impact.ImpactPruning;
import org.prunekit.analysis.impact.ImpactReport;
import org.prunekit.analysis.impact.PatchModel;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.ModelZoo;
import org.prunekit.core.zoo.VitConfig;

/**
 * IMPACT study (spec 3.9): trains a small ViT on Fashion-MNIST, prunes a copy with Wanda at 50 %
 * per row on every block linear layer ({@link ImpactPruning}), and reports every IMPACT metric
 * ({@link ImpactAnalyzer}) with the accuracy of both models, as a table and as JSON.
 *
 * <pre>
 * java ... org.prunekit.examples.ImpactStudy --shared ../shared --out impact.json
 * </pre>
 *
 * Options: {@code --shared DIR} (reads {@code DIR/data/fashion-mnist} train and t10k; without it the
 * shipped t10k set is split 8,000 / 2,000), {@code --train N} (20000), {@code --epochs E} (2), {@code
 * --images N} (analysis images from the test set, 1000), {@code --task a,b} (circuit task classes,
 * 0,6), {@code --steps S} (circuit mask steps, 500), {@code --sae-steps S} (1000), {@code --sparsity F}
 * (0.5), {@code --out FILE}.
 */
public final class ImpactStudy {
  private ImpactStudy() {}

  /** The study's ViT: 28x28x1 images, patch 7 (16 tokens), dim 32, 2 blocks, 4 heads, MLP 64. */
  public static final VitConfig CONFIG = VitConfig.builder().optInput(1, 28).optPatchSize(7).optDim(32).optDepth(2)
      .optHeads(4, 4).optMlpDim(64).optClasses(10).optSeed(7).build();

  /**
   * Study settings.
   *
   * @param shared the shared directory holding {@code data/fashion-mnist}, or null for the shipped set
   */
  public record Options(Path shared, int train, int epochs, int images, int[] task, int steps, int saeSteps,
      double sparsity, Path out) {
    /** Validates. */
    public Options {
      if (train < 0 || epochs < 1 || images < 2 || steps < 1 || saeSteps < 1 || !(sparsity >= 0 && sparsity < 1)) {
        throw new IllegalArgumentException("train >= 0, epochs >= 1, images >= 2, steps >= 1, SAE steps >= 1, sparsity in"
            + " [0, 1) are required; got train " + train + ", epochs " + epochs + ", images " + images + ", steps " + steps
            + ", SAE steps " + saeSteps + ", sparsity " + sparsity);
      }
      task = task.clone();
    }
  }

  /** Runs the study and returns both reports (dense first). */
  public static List<ImpactReport> run(Options o, PrintStream out) throws IOException {
    IdxDataset train;
    IdxDataset test;
    Path full = o.shared() == null ? null : o.shared().resolve("data").resolve("fashion-mnist");
    if (full != null && Files.isDirectory(full)) {
      train = IdxDataset.loadDir(full, "train").scaled(1f / 255f);
      test = IdxDataset.loadDir(full, "t10k").scaled(1f / 255f);
    } else {
      IdxDataset all = IdxDataset.loadDir(FashionMnistDemo.shippedData(), "t10k").scaled(1f / 255f);
      train = all.subset(0, 8000);
      test = all.subset(8000, all.size());
    }
    if (o.train() > 0 && o.train() < train.size()) {
      train = train.subset(0, o.train());
    }
    out.printf(Locale.ROOT, "data: %d training / %d test images; ViT %s%n", train.size(), test.size(), CONFIG);
    Graph dense = ModelZoo.vit(CONFIG);
    long t0 = System.nanoTime();
    int perEpoch = train.size() / 64;
    ProgressBar bar = new ProgressBar(out, "train", (long) perEpoch * o.epochs());
    float loss = VitTraining.train(dense, CONFIG, train, o.epochs(), 64, 2e-3f, 1, bar::update);
    double trainSec = (System.nanoTime() - t0) / 1e9;
    PatchModel denseModel = PatchModel.vit(dense, CONFIG);
    ImpactData testAll = toPatches(test, 0, test.size());
    out.printf(Locale.ROOT, "trained %d epoch(s) in %.1f s, last-epoch loss %.4f%n", o.epochs(), trainSec, loss);

    Graph pruned = dense.copy();
    PatchModel prunedModel = denseModel.withGraph(pruned);
    ImpactData calibration = toPatches(train, 0, Math.min(128, train.size()));
    ImpactPruning.wanda(prunedModel, calibration, o.sparsity());

    ImpactData images = toPatches(test, 0, Math.min(o.images(), test.size()));
    ImpactAnalyzer analyzer = ImpactAnalyzer.builder().optTaskClasses(o.task())
        .optCircuit(CircuitDiscovery.builder().optSteps(o.steps()).build()).optSae(4, 8, o.saeSteps()).build();
    List<ImpactReport> reports = new ArrayList<>();
    Map<String, Double> testAccuracy = new LinkedHashMap<>();
    for (PatchModel m : List.of(denseModel, prunedModel)) {
      String name = m == denseModel ? "dense" : "wanda-" + Math.round(100 * o.sparsity());
      testAccuracy.put(name, accuracy(m, testAll));
      out.printf(Locale.ROOT, "%s: test accuracy %.2f%% on %d images; running IMPACT on %d images ...%n", name,
          100 * testAccuracy.get(name), testAll.size(), images.size());
      reports.add(analyzer.analyze(name, m, images));
    }
    out.println();
    out.print(table(reports, testAccuracy));
    if (o.out() != null) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("vit", CONFIG);
      json.put("trainImages", train.size());
      json.put("epochs", o.epochs());
      json.put("trainSeconds", trainSec);
      json.put("testAccuracy", testAccuracy);
      json.put("reports", reports);
      Files.writeString(o.out(), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
          .toJson(json));
      out.println("wrote " + o.out());
    }
    return reports;
  }

  private static double accuracy(PatchModel m, ImpactData d) {
    // the analyzer's accuracy on a subset is in the report; this is the whole test set
    return ImpactAnalyzer.accuracy(m, d, 500);
  }

  /** Images {@code [from, to)} of {@code d} as patches. */
  static ImpactData toPatches(IdxDataset d, int from, int to) {
    int n = to - from;
    int per = d.rows() * d.cols();
    float[] x = new float[n * per];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(d.image(from + i), 0, x, i * per, per);
      labels[i] = d.label(from + i);
    }
    Tensor images = new Tensor(new Shape(n, 1, d.rows(), d.cols()), x);
    return new ImpactData(ModelZoo.patchify(images, CONFIG.patchSize()), labels, CONFIG.classes());
  }

  /** The comparison table. */
  public static String table(List<ImpactReport> reports, Map<String, Double> testAccuracy) {
    StringBuilder sb = new StringBuilder();
    String[] rows = {"test accuracy", "block weight sparsity", "circuit: active nodes", "circuit: active fraction",
        "circuit: active heads", "circuit: edges", "circuit: all-node edges", "circuit: KL (binary mask)"};
    sb.append(String.format(Locale.ROOT, "%-34s", "metric"));
    for (ImpactReport r : reports) {
      sb.append(String.format(Locale.ROOT, "%14s", r.model()));
    }
    sb.append('\n');
    List<String[]> lines = new ArrayList<>();
    for (ImpactReport r : reports) {
      ImpactReport.Circuit c = r.circuit();
      lines.add(new String[] {pct(testAccuracy.get(r.model())), pct(r.blockWeightSparsity()),
          c.activeNodes() + "/" + c.nodes(), f(c.activeFraction()), c.activeHeads() + "", c.edges() + "",
          c.allNodeEdges() + "", f(c.binaryKl())});
    }
    for (int i = 0; i < rows.length; i++) {
      sb.append(String.format(Locale.ROOT, "%-34s", rows[i]));
      for (String[] l : lines) {
        sb.append(String.format(Locale.ROOT, "%14s", l[i]));
      }
      sb.append('\n');
    }
    for (int k = 0; k < reports.get(0).selectivity().size(); k++) {
      sb.append(String.format(Locale.ROOT, "%-34s", "selectivity mean " + reports.get(0).selectivity().get(k).layer()));
      for (ImpactReport r : reports) {
        sb.append(String.format(Locale.ROOT, "%14s", f(r.selectivity().get(k).mean())));
      }
      sb.append('\n');
    }
    for (int k = 0; k < reports.get(0).sae().size(); k++) {
      String l = reports.get(0).sae().get(k).layer();
      for (String what : new String[] {"FVU", "dead", "L0"}) {
        sb.append(String.format(Locale.ROOT, "%-34s", "SAE " + what + " " + l));
        for (ImpactReport r : reports) {
          var m = r.sae().get(k).metrics();
          double v = what.equals("FVU") ? m.fvu() : what.equals("dead") ? m.deadFraction() : m.l0();
          sb.append(String.format(Locale.ROOT, "%14s", f(v)));
        }
        sb.append('\n');
      }
    }
    for (String what : new String[] {"insertion AUC", "deletion AUC", "analysis seconds"}) {
      sb.append(String.format(Locale.ROOT, "%-34s", what));
      for (ImpactReport r : reports) {
        double v = what.startsWith("insertion") ? r.attribution().insertionAuc()
            : what.startsWith("deletion") ? r.attribution().deletionAuc() : r.seconds();
        sb.append(String.format(Locale.ROOT, "%14s", f(v)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** Command line entry; see the class comment for options. */
  public static void main(String[] args) throws IOException {
    Path shared = null;
    int train = 20000;
    int epochs = 2;
    int images = 1000;
    int[] task = {0, 6};
    int steps = 500;
    int saeSteps = 1000;
    double sparsity = 0.5;
    Path outFile = null;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--shared" -> shared = Path.of(v);
        case "--train" -> train = Integer.parseInt(v);
        case "--epochs" -> epochs = Integer.parseInt(v);
        case "--images" -> images = Integer.parseInt(v);
        case "--task" -> task = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
        case "--steps" -> steps = Integer.parseInt(v);
        case "--sae-steps" -> saeSteps = Integer.parseInt(v);
        case "--sparsity" -> sparsity = Double.parseDouble(v);
        case "--out" -> outFile = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run(new Options(shared, train, epochs, images, task, steps, saeSteps, sparsity, outFile), System.out);
  }
}
