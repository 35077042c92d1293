package org.prunekit.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.prunekit.bench.harness.Harness;
import org.prunekit.bench.harness.HtmlReport;
import org.prunekit.bench.harness.JsonReport;
import org.prunekit.bench.harness.LatencyResult;
import org.prunekit.bench.harness.SweepResult;
import org.prunekit.bench.harness.SweepRow;
import org.prunekit.bench.harness.SweepSpec;
import org.prunekit.criteria.Criteria;
import org.prunekit.criteria.structured.GroupImportances;
import org.prunekit.examples.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prunekit bench}: a sweep of models × criteria × targets × engines × batch sizes, with reports. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Sweep models x pruning methods x targets, measure accuracy (with --data) and latency per engine",
        "and batch size against each model's dense baseline, and write bench.json plus report.html with PNG and SVG plots.",
        "A --criterion name runs unstructured at every --sparsity if it is a criterion (magnitude, wanda, ...),",
        "and structured at every --macs if it is a group importance (l1, l2, bn-scale, taylor, random)."})
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, split = ",",
      description = "model files (.onnx, .pkm) or built-in names (demo-cnn, lenet, mlp), comma-separated")
  List<String> models;

  @Option(names = "--criterion", split = ",", description = "criteria and/or group importances, comma-separated")
  List<String> criteria = List.of();

  @Option(names = "--sparsity", split = ",", description = "unstructured target sparsities, e.g. 0.5,0.7,0.9")
  List<Double> sparsities = List.of();

  @Option(names = "--macs", split = ",", description = "structured targets: fraction of MACs to keep, e.g. 0.7,0.5")
  List<Double> macs = List.of();

  @Option(names = "--batch", split = ",", defaultValue = "1", description = "batch sizes for latency (default: ${DEFAULT-VALUE})")
  List<Integer> batches;

  @Option(names = "--engine", split = ",", defaultValue = "djl", description = "engines: djl (DJL PyTorch), ort (ONNX Runtime), sparse (PruneKit sparse kernels; Linear/1x1-conv models) (default: ${DEFAULT-VALUE})")
  List<String> engines;

  @Option(names = "--data", description = "IDX directory for accuracy (and calibration of wanda, ria, taylor)")
  Path data;

  @Option(names = "--prefix", defaultValue = "t10k", description = "IDX prefix of the evaluation set (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--limit", defaultValue = "0", description = "evaluate only the first N images (default: all)")
  int limit;

  @Option(names = "--calibration-prefix", defaultValue = "train", description = "IDX prefix for calibration samples (default: ${DEFAULT-VALUE})")
  String calibrationPrefix;

  @Option(names = "--calibration", defaultValue = "128", description = "calibration samples (default: ${DEFAULT-VALUE})")
  int calibration;

  @Option(names = "--warmup", defaultValue = "5", description = "untimed runs per measurement (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--warmup-ms", defaultValue = "300",
      description = "minimum warm-up time in ms per engine and batch size, for the JIT (default: ${DEFAULT-VALUE})")
  double warmupMillis;

  @Option(names = "--runs", defaultValue = "30", description = "timed runs per measurement (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--threads", defaultValue = "0", description = "engine intra-op threads, 0 = engine default (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--seed", defaultValue = "42", description = "seed for latency inputs and built-in models (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, description = "output directory for bench.json, report.html and the plots (PNG + SVG)")
  Path out;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    List<String> unstructured = new ArrayList<>();
    List<String> structured = new ArrayList<>();
    split(criteria, !sparsities.isEmpty(), !macs.isEmpty(), unstructured, structured);
    SweepSpec spec = SweepSpec.builder().setModels(models)
        .optUnstructured(unstructured, unstructured.isEmpty() ? List.of() : sparsities)
        .optStructured(structured, structured.isEmpty() ? List.of() : macs)
        .optBatchSizes(batches).optEngines(engines)
        .optData(data, prefix, limit).optCalibration(calibrationPrefix, calibration)
        .optRuns(warmup, runs).optWarmupMillis(warmupMillis).optThreads(threads).optSeed(seed)
        .optCommand(commandLine()).build();
    PrintStream stream = new PrintStream(new WriterOutputStream(common.out()), true, StandardCharsets.UTF_8);
    ProgressBar[] bar = new ProgressBar[1];
    SweepResult r = Harness.run(spec, (done, total, step) -> {
      if (bar[0] == null) {
        bar[0] = new ProgressBar(stream, "bench", total);
      }
      bar[0].update(done);
    });
    stream.flush();
    JsonReport.write(r, out.resolve("bench.json"));
    List<Path> files = HtmlReport.write(r, out);
    summary(r);
    r.skipped().forEach((k, v) -> common.out().printf("skipped %s: %s%n", k, v));
    common.out().printf("wrote %s and %s (%d plots)%n", out.resolve("bench.json"), files.get(0), files.size() - 1);
    return 0;
  }

  /**
   * Sorts criterion names into unstructured criteria and structured importances by the targets given.
   *
   * @throws IllegalArgumentException for a name that is neither, or one whose kind has no targets
   */
  static void split(List<String> names, boolean haveSparsity, boolean haveMacs, List<String> unstructured,
      List<String> structured) {
    List<String> known = Criteria.names();
    List<String> importances = GroupImportances.names();
    if (names.isEmpty() && (haveSparsity || haveMacs)) {
      throw new IllegalArgumentException("--sparsity and --macs need --criterion");
    }
    for (String raw : names) {
      String n = raw.trim().toLowerCase(Locale.ROOT);
      boolean isCriterion = known.contains(n);
      boolean isImportance = importances.contains(n);
      if (!isCriterion && !isImportance) {
        throw new IllegalArgumentException("unknown --criterion '" + raw + "'; criteria (with --sparsity): " + known
            + ", group importances (with --macs): " + importances);
      }
      boolean used = false;
      if (isCriterion && haveSparsity) {
        unstructured.add(n);
        used = true;
      }
      if (isImportance && haveMacs) {
        structured.add(n);
        used = true;
      }
      if (!used) {
        throw new IllegalArgumentException("--criterion '" + raw + "' needs "
            + (isCriterion && isImportance ? "--sparsity or --macs" : isCriterion ? "--sparsity" : "--macs")
            + (isImportance && !isCriterion ? " (it is a structured group importance)" : ""));
      }
    }
    if (haveSparsity && unstructured.isEmpty()) {
      throw new IllegalArgumentException("--sparsity given but no --criterion is an unstructured criterion " + known);
    }
    if (haveMacs && structured.isEmpty()) {
      throw new IllegalArgumentException("--macs given but no --criterion is a structured group importance " + importances);
    }
  }

  private String commandLine() {
    List<String> args = new ArrayList<>(common.mixee.commandLine().getParseResult().originalArgs());
    if (args.isEmpty() || !args.get(0).equals("bench")) {
      args.add(0, "bench");
    }
    StringBuilder sb = new StringBuilder("prunekit");
    for (String a : args) {
      sb.append(' ').append(a.isEmpty() || a.matches(".*[\\s'\"$`\\\\].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
    }
    return sb.toString();
  }

  private void summary(SweepResult r) {
    String engine = r.spec().engines().get(0);
    int batch = r.spec().batchSizes().get(0);
    common.out().printf(Locale.ROOT, "%-24s %-16s %7s %8s %12s %9s %10s %8s%n", "model", "method", "target", "sparsity",
        "eff. MACs", "accuracy", engine + " b" + batch, "speedup");
    for (SweepRow row : r.rows()) {
      LatencyResult l = row.latency(engine, batch);
      common.out().printf(Locale.ROOT, "%-24s %-16s %7s %8.3f %,12d %9s %8.3fms %7.2fx%n", row.model(), row.method(),
          row.isDense() ? "" : String.format(Locale.ROOT, "%.2f", row.target()), row.achievedSparsity(),
          row.effectiveMacs(), row.accuracy() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * row.accuracy()),
          l.medianMs(), l.speedup());
    }
  }
}
