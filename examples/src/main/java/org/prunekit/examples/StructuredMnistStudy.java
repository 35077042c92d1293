package org.prunekit.examples;

import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.OneDnnSwitch;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.io.onnx.OnnxImporter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.structured.CalibrationBatch;
import org.prunekit.criteria.structured.StructuredCalibration;
import org.prunekit.criteria.structured.StructuredPruning;
import org.prunekit.criteria.structured.StructuredResult;
import org.prunekit.criteria.structured.StructuredSpec;

/**
 * Structured pruning of real, pre-trained ONNX MNIST classifiers: for every model, importance and
 * MAC removal, the model is imported, measured on the test set, physically pruned to the MAC budget
 * ({@code setMacBudget(1 - removed)}, local ranking), measured again, fine-tuned on the first
 * training images (Adam, fixed order, {@link ClassifierTraining#train}) and measured a third time.
 *
 * <p>Pixels are the raw 0..255 bytes, what both shipped models were trained and measured with. The
 * loss is DJL's {@code softmaxCrossEntropyLoss} (log-softmax, then negative log-likelihood) for
 * both models: mnist-8 outputs logits; the Tribuo CNN already ends in {@code LogSoftmax}, and
 * log-softmax of log-probabilities is the identity (their log-sum-exp is 0), so the loss on its
 * output is exactly the negative log-likelihood it was trained with.
 *
 * <p>Run: {@code java -cp examples/target/classes:$(cat examples/target/classpath.txt)
 * org.prunekit.examples.StructuredMnistStudy --shared ../shared} (see {@code docs/structured.md}).
 */
public final class StructuredMnistStudy {
  /** The two real models under {@code <shared>/data/models}. */
  public static final List<String> MODELS = List.of(
      "models/mnist-8-onnx/mnist-8.onnx", "models/lenet-mnist-tribuo-onnx/pytorch_cnn_mnist.onnx");

  /**
   * Study settings.
   *
   * @param dataDir MNIST IDX directory with {@code train-*} and {@code t10k-*}
   * @param models ONNX model files
   * @param macRemoved fractions of MACs to remove, each in (0, 1)
   * @param importances structured importance names ({@code l1}, {@code l2}, {@code taylor}, ...)
   * @param trainImages fine-tune on training images {@code [0, trainImages)}
   * @param epochs fine-tuning epochs (0: no fine-tuning)
   * @param batchSize fine-tuning batch size
   * @param learningRate Adam's fixed learning rate
   * @param calibrationImages training images {@code [0, n)} for {@code taylor} gradients
   * @param testImages evaluate on test images {@code [0, testImages)} (0: all)
   * @param disableOneDnn switch PyTorch's oneDNN convolutions off first ({@link OneDnnSwitch}): needed
   *     on AVX-512 CPUs, where oneDNN's convolution backward returns NaN gradients for some pruned widths
   */
  public record Options(
      Path dataDir, List<Path> models, double[] macRemoved, List<String> importances, int trainImages, int epochs,
      int batchSize, float learningRate, int calibrationImages, int testImages, boolean disableOneDnn) {
    /** Validates and copies. */
    public Options {
      Objects.requireNonNull(dataDir, "dataDir");
      models = List.copyOf(models);
      importances = List.copyOf(importances);
      macRemoved = macRemoved.clone();
      if (models.isEmpty() || importances.isEmpty() || macRemoved.length == 0) {
        throw new IllegalArgumentException("at least one model, one importance and one MAC removal are required");
      }
      for (double r : macRemoved) {
        if (!(r > 0 && r < 1)) {
          throw new IllegalArgumentException("MAC removal must be in (0, 1), got " + r);
        }
      }
      if (trainImages < 1 || epochs < 0 || batchSize < 1 || calibrationImages < 1 || testImages < 0
          || !(learningRate > 0)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "need trainImages >= 1 (%d), epochs >= 0 (%d), batchSize >= 1 (%d), calibrationImages >= 1 (%d),"
                + " testImages >= 0 (%d), learningRate > 0 (%s)",
            trainImages, epochs, batchSize, calibrationImages, testImages, learningRate));
      }
    }

    /**
     * The documented study: both models under {@code shared}, 30 / 50 / 70% of MACs removed, l1;
     * 1 epoch over the first 10,000 training images at batch 64, Adam lr 1e-3, 256 ({@code taylor})
     * calibration images, the full test set, oneDNN off.
     */
    public static Options defaults(Path shared) {
      Path data = shared.resolve("data");
      return new Options(data.resolve("mnist"), MODELS.stream().map(data::resolve).toList(),
          new double[] {0.3, 0.5, 0.7}, List.of("l1"), 10_000, 1, 64, 1e-3f, 256, 0, true);
    }

    /** The MAC removals (a copy). */
    @Override
    public double[] macRemoved() {
      return macRemoved.clone();
    }
  }

  /**
   * One result row; accuracies are fractions in [0, 1], costs per image (batch 1, {@link CostModel}).
   *
   * @param macKeepBudget the budget passed to {@code setMacBudget} (1 - MAC removal)
   * @param accuracyBefore the imported model
   * @param accuracyPruned right after structural pruning
   * @param accuracyFineTuned after fine-tuning
   * @param lastLoss mean training loss of the last fine-tuning epoch
   * @param explain the pruning report's one-line summary
   * @param seconds wall time of pruning, fine-tuning and evaluation for this row
   */
  public record Row(
      String model, String importance, double macKeepBudget, long paramsBefore, long paramsAfter, long macsBefore,
      long macsAfter, double accuracyBefore, double accuracyPruned, double accuracyFineTuned, float lastLoss,
      String explain, double seconds) {
    /** Achieved fraction of MACs kept. */
    public double macFractionKept() {
      return (double) macsAfter / macsBefore;
    }
  }

  private StructuredMnistStudy() {}

  /** Runs the study, printing progress and the table to {@code out}; returns the rows in run order. */
  public static List<Row> run(Options o, PrintStream out) throws IOException {
    if (o.disableOneDnn()) {
      out.println("oneDNN convolutions: " + (OneDnnSwitch.disable() ? "off" : "could not be switched off"));
    }
    IdxDataset trainAll = IdxDataset.loadDir(o.dataDir(), "train");
    IdxDataset test = IdxDataset.loadDir(o.dataDir(), "t10k");
    if (o.testImages() > 0 && o.testImages() < test.size()) {
      test = test.subset(0, o.testImages());
    }
    IdxDataset train = trainAll.subset(0, Math.min(o.trainImages(), trainAll.size()));
    IdxDataset calibration = trainAll.subset(0, Math.min(o.calibrationImages(), trainAll.size()));
    out.printf(Locale.ROOT, "data: %s, raw 0..255 pixels; fine-tune on train [0, %d), %d epoch(s), batch %d,"
            + " Adam lr %s, fixed order; evaluate on %d test images%n",
        o.dataDir(), train.size(), o.epochs(), o.batchSize(), o.learningRate(), test.size());
    List<Row> rows = new ArrayList<>();
    for (Path file : o.models()) {
      Graph dense = OnnxImporter.load(file);
      String name = modelName(file);
      double before = ClassifierTraining.accuracy(dense, test, 500);
      out.printf(Locale.ROOT, "%s: accuracy before pruning %.2f%%%n", name, 100 * before);
      for (String importance : o.importances()) {
        StructuredCalibration cal = importance.equals("taylor")
            ? StructuredCalibration.fromBatches(dense, Loss.softmaxCrossEntropyLoss(), calibrationBatches(calibration))
            : StructuredCalibration.none();
        for (double removed : o.macRemoved()) {
          rows.add(runOne(dense, name, importance, 1 - removed, cal, before, train, test, o, out));
        }
      }
    }
    out.println();
    out.print(table(rows));
    return rows;
  }

  private static Row runOne(Graph dense, String name, String importance, double keep, StructuredCalibration cal,
      double before, IdxDataset train, IdxDataset test, Options o, PrintStream out) {
    long t0 = System.nanoTime();
    StructuredSpec spec = StructuredSpec.builder().setImportance(importance).setMacBudget(keep).build();
    StructuredResult r = StructuredPruning.prune(dense, spec, cal);
    Graph g = r.pruned();
    CostTotals c0 = CostModel.of(dense, 1).total();
    CostTotals c1 = CostModel.of(g, 1).total();
    double pruned = ClassifierTraining.accuracy(g, test, 500);
    out.printf(Locale.ROOT, "%s %s keep<=%.0f%% MACs: %s; accuracy %.2f%%%n",
        name, importance, 100 * keep, r.report().explain(), 100 * pruned);
    float loss = Float.NaN;
    double tuned = pruned;
    if (o.epochs() > 0) {
      int perEpoch = (train.size() + o.batchSize() - 1) / o.batchSize();
      ProgressBar bar = new ProgressBar(out, "fine-tune", (long) perEpoch * o.epochs());
      loss = ClassifierTraining.train(g, train, o.epochs(), o.batchSize(), o.learningRate(), bar::update);
      tuned = ClassifierTraining.accuracy(g, test, 500);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.printf(Locale.ROOT, "  fine-tuned: accuracy %.2f%% (last epoch loss %.4f, %.1f s)%n", 100 * tuned, loss, seconds);
    return new Row(name, importance, keep, c0.params(), c1.params(), c0.macs(), c1.macs(), before, pruned, tuned, loss,
        r.report().explain(), seconds);
  }

  /** Calibration batches of 64 images with their labels as float class indices. */
  static List<CalibrationBatch> calibrationBatches(IdxDataset d) {
    List<CalibrationBatch> batches = new ArrayList<>();
    for (IdxDataset.Batch b : d.batches(64)) {
      float[] l = new float[b.size()];
      for (int i = 0; i < l.length; i++) {
        l[i] = b.labels()[i];
      }
      batches.add(CalibrationBatch.of(b.images(), new Tensor(new Shape(l.length), l)));
    }
    return batches;
  }

  private static String modelName(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
  }

  /** The result table as Markdown. */
  public static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| model | importance | MACs removed (target) | MACs kept (achieved) | params | MACs | acc before"
        + " | acc pruned | acc fine-tuned |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f%% | %.1f%% | %,d -> %,d | %,d -> %,d | %.2f%% | %.2f%%"
              + " | %.2f%% |%n", r.model(), r.importance(), 100 * (1 - r.macKeepBudget()), 100 * r.macFractionKept(),
          r.paramsBefore(), r.paramsAfter(), r.macsBefore(), r.macsAfter(), 100 * r.accuracyBefore(),
          100 * r.accuracyPruned(), 100 * r.accuracyFineTuned()));
    }
    return sb.toString();
  }

  /**
   * Command line: {@code [--shared DIR] [--importances l1,taylor] [--removed 0.3,0.5,0.7] [--train N]
   * [--epochs N] [--batch N] [--lr X] [--calibration N] [--test N] [--onednn true|false]}; defaults as {@link
   * Options#defaults} with {@code --shared ../shared}.
   */
  public static void main(String[] args) throws IOException {
    Options d = Options.defaults(Path.of(System.getProperty("prunekit.shared.dir", "../shared")));
    Path shared = null;
    List<String> imp = d.importances();
    double[] removed = d.macRemoved();
    int trainN = d.trainImages();
    int epochs = d.epochs();
    int batch = d.batchSize();
    float lr = d.learningRate();
    int cal = d.calibrationImages();
    int testN = d.testImages();
    boolean oneDnnOff = d.disableOneDnn();
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--shared" -> shared = Path.of(v);
        case "--importances" -> imp = List.of(v.split(","));
        case "--removed" -> removed = Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
        case "--train" -> trainN = Integer.parseInt(v);
        case "--epochs" -> epochs = Integer.parseInt(v);
        case "--batch" -> batch = Integer.parseInt(v);
        case "--lr" -> lr = Float.parseFloat(v);
        case "--calibration" -> cal = Integer.parseInt(v);
        case "--test" -> testN = Integer.parseInt(v);
        case "--onednn" -> oneDnnOff = !Boolean.parseBoolean(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; use --shared --importances --removed --train --epochs --batch --lr --calibration --test --onednn");
      }
    }
    Options base = shared == null ? d : Options.defaults(shared);
    if (!Files.isDirectory(base.dataDir())) {
      throw new IllegalArgumentException("no MNIST directory " + base.dataDir() + "; give --shared DIR");
    }
    run(new Options(base.dataDir(), base.models(), removed, imp, trainN, epochs, batch, lr, cal, testN, oneDnnOff),
        System.out);
  }
}
