package org.prunekit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostReport;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.io.SavedModel;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.calibration.ActivationCalibration;
import org.prunekit.criteria.structured.StructuredCalibration;
import org.prunekit.criteria.structured.StructuredResult;
import org.prunekit.criteria.structured.StructuredSpec;
import org.prunekit.examples.PruneReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code prunekit prune}: unstructured pruning with masks ({@code --sparsity}), or structural pruning
 * into a physically smaller model ({@code --structured} with {@code --channels}, {@code --params} or
 * {@code --macs}).
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Prune a model (ONNX or PruneKit) and write the pruned model and a JSON report.",
        "Unstructured: --criterion magnitude|wanda|... --sparsity S [--scope layer|row|global].",
        "Structured:   --structured --criterion l1|l2|bn-scale|taylor|random (--channels R | --params F | --macs F)",
        "              [--round-to N]; --params/--macs give the fraction to KEEP, --channels the fraction removed.",
        "llama2.c:     --llama2c MODEL.bin --text FILE --criterion magnitude|wanda|ria|sparsegpt (--sparsity S | --pattern N:M)",
        "              [--calibration 128 --seed 0 --mode sequential|dense]: prunes every block weight, prints the",
        "              validation loss (nats/char) before and after and writes a .pkm."})
final class PruneCommand implements Callable<Integer> {
  @Option(names = "--model", description = "input model (.onnx or PruneKit .pkm)")
  Path model;

  @Option(names = "--llama2c", description = "input llama2.c checkpoint (.bin) of a character model (instead of --model)")
  Path llama2c;

  @Option(names = "--text", description = "with --llama2c: corpus; calibration from the first 90%%, validation loss on the rest")
  Path text;

  @Option(names = "--vocab", description = "with --llama2c: vocab.json (default: vocab.json beside the model)")
  Path vocab;

  @Option(names = "--seq", description = "with --llama2c: window length (default: min(128, seq_len))")
  Integer seq;

  @Option(names = "--pattern", description = "with --llama2c: N:M semi-structured, N KEPT of every M inputs (instead of --sparsity)")
  String pattern;

  @Option(names = "--mode", defaultValue = "sequential",
      description = "with --llama2c: sequential (Wanda's block-by-block calibration) | dense (default: ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--windows", description = "with --llama2c: evaluate only the first N validation windows")
  Integer windows;

  @Option(names = "--criterion", required = true, description = "criterion (unstructured) or group importance (structured); with --llama2c and --pattern also ria-reallocation[-keep-better|-lsa] (RIA with N:M channel reallocation)")
  String criterion;

  @Option(names = "--sparsity", description = "unstructured: fraction of weights to prune, in [0, 1)")
  Double sparsity;

  @Option(names = "--scope", description = "unstructured: layer | row | global (default: the criterion's own, e.g. magnitude layer, wanda row)")
  String scope;

  @Option(names = "--structured", description = "remove whole channels, neurons and heads (a smaller model)")
  boolean structured;

  @Option(names = "--channels", description = "structured: fraction of channels removed per group")
  Double channels;

  @Option(names = "--params", description = "structured: fraction of parameters to keep")
  Double params;

  @Option(names = "--macs", description = "structured: fraction of MACs to keep (0.5 = at most half remain)")
  Double macs;

  @Option(names = "--round-to", defaultValue = "1", description = "structured: remaining widths are multiples of N")
  int roundTo;

  @Option(names = "--ranking", defaultValue = "local", description = "structured: local | global (default: ${DEFAULT-VALUE})")
  String ranking;

  @Option(names = "--leave-alone", split = ",", description = "structured: node names not to prune")
  List<String> leaveAlone = List.of();

  @Option(names = "--data", description = "IDX directory for calibration (wanda, ria, ...; structured taylor)")
  Path data;

  @Option(names = "--prefix", defaultValue = "train", description = "IDX prefix of --data (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--calibration", defaultValue = "128", description = "calibration samples (default: ${DEFAULT-VALUE})")
  int calibration;

  @Option(names = "--seed", defaultValue = "0", description = "calibration sample selection seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, description = "output model (.pkm keeps masks and provenance; .onnx bakes masks in)")
  Path out;

  @Option(names = "--report", description = "write a JSON report here")
  Path report;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (llama2c != null) {
      if (model != null || structured) {
        throw new IllegalArgumentException("--llama2c excludes --model and --structured");
      }
      return new Llama2cPrune(this).run();
    }
    if (model == null) {
      throw new IllegalArgumentException("give --model (ONNX or .pkm) or --llama2c (with --text)");
    }
    if (pattern != null) {
      throw new IllegalArgumentException("--pattern is supported with --llama2c only (use 'prunekit mask' for one tensor)");
    }
    return structured ? structured() : unstructured();
  }

  private int unstructured() throws Exception {
    if (sparsity == null) {
      throw new IllegalArgumentException("--sparsity is required (or use --structured with --channels/--params/--macs)");
    }
    if (channels != null || params != null || macs != null) {
      throw new IllegalArgumentException("--channels, --params and --macs need --structured");
    }
    PruningSpec spec = scope == null ? PruningSpec.of(criterion, sparsity)
        : PruningSpec.of(criterion, sparsity, parseScope(scope));
    Scope sc = spec.scope();
    SavedModel m = ModelFiles.load(model);
    Graph g = m.graph();
    CostReport before = CostModel.of(g, 1);
    Provenance.Builder pb = provenance(m, spec.criterion().name())
        .optSetting("sparsity", Double.toString(sparsity))
        .optSetting("scope", sc.name().toLowerCase(Locale.ROOT))
        .optSetting("threshold", spec.thresholdMode().name().toLowerCase(Locale.ROOT));
    ScoringInputs inputs = ScoringInputs.none();
    if (spec.criterion().requirements().contains(Criterion.Requirement.INPUT_COLUMN_NORMS)) {
      ActivationCalibration.Result cal = ImageCalibration.collect(g, spec.targets(), data, prefix,
          ModelFiles.inputScale(m.provenance()), calibration, seed);
      inputs = cal.inputs();
      pb.optCalibration(cal.samples(), cal.sha256())
          .optSetting("calibrationData", data.getFileName() + "/" + prefix)
          .optSetting("calibrationSeed", Long.toString(seed));
    }
    PruningResult r = Pruning.prune(g, spec, inputs);
    CostReport after = CostModel.of(g, 1);
    Provenance p = pb.build();
    ModelFiles.save(g, p, out);
    if (report != null) {
      PruneReport.write(PruneReport.build(before, after, r.report(), p), report);
    }
    common.out().printf(Locale.ROOT, "pruned %s with %s at %.1f%% (%s): non-zero params %d -> %d, MACs %d -> %d; wrote %s%n",
        model.getFileName(), spec.criterion().name(), 100 * sparsity, sc.name().toLowerCase(Locale.ROOT),
        before.total().nonZeroParams(), after.total().nonZeroParams(),
        before.total().effectiveMacs(), after.total().effectiveMacs(), out);
    return 0;
  }

  private int structured() throws Exception {
    if (sparsity != null) {
      throw new IllegalArgumentException("--sparsity is for unstructured pruning; with --structured use --channels, --params or --macs");
    }
    StructuredSpec spec = StructuredPrune.spec(criterion,
        new StructuredPrune.Target(channels, params, macs, roundTo, ranking, leaveAlone));
    SavedModel m = ModelFiles.load(model);
    StructuredCalibration cal = StructuredPrune.calibration(spec, m, data, prefix, calibration);
    StructuredResult r = StructuredPrune.run(m, spec, cal);
    Provenance.Builder pb = provenance(m, spec.importance().name())
        .optSetting("structured", "true")
        .optSetting("target", r.report().target())
        .optSetting("roundTo", Integer.toString(roundTo))
        .optSetting("ranking", ranking.toLowerCase(Locale.ROOT));
    if (spec.importance().requiresGradients()) {
      pb.optSetting("calibrationData", data.toString()).optSetting("calibrationSamples", Integer.toString(calibration));
    }
    Provenance p = pb.build();
    ModelFiles.save(r.pruned(), p, out);
    if (report != null) {
      PruneReport.write(StructuredPrune.report(r, PruneReport.provenance(p)), report);
    }
    common.out().printf(Locale.ROOT, "%s%nwrote %s%n", r.report().explain(), out);
    return 0;
  }

  private Provenance.Builder provenance(SavedModel m, String criterionName) {
    return Provenance.builder()
        .setCriterion(criterionName)
        .setSeed(m.provenance().seed())
        .optSettings(m.provenance().settings())
        .optSetting("source", model.getFileName().toString());
  }

  static Scope parseScope(String s) {
    for (Scope v : Scope.values()) {
      if (v.name().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown --scope '" + s + "'; use layer, row or global");
  }
}
