package org.prunekit.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostReport;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.io.SavedModel;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.examples.PruneReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prunekit prune}: unstructured pruning of a saved model with a named criterion. */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = "Prune a model (ONNX or PruneKit) with a criterion and write the pruned model and a JSON report.")
final class PruneCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "input model (.onnx or PruneKit .pkm)")
  Path model;

  @Option(names = "--criterion", required = true, description = "criterion short name, e.g. magnitude")
  String criterion;

  @Option(names = "--sparsity", required = true, description = "fraction of weights to prune, in [0, 1)")
  double sparsity;

  @Option(names = "--scope", defaultValue = "layer", description = "layer | row | global (default: ${DEFAULT-VALUE})")
  String scope;

  @Option(names = "--out", required = true, description = "output model (.pkm keeps masks and provenance; .onnx bakes masks in)")
  Path out;

  @Option(names = "--report", description = "write a JSON report here (per-layer sparsity, params, MACs, provenance)")
  Path report;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Scope sc = parseScope(scope);
    PruningSpec spec = PruningSpec.of(criterion, sparsity, sc);
    SavedModel m = ModelFiles.load(model);
    Graph g = m.graph();
    CostReport before = CostModel.of(g, 1);
    PruningResult r = Pruning.prune(g, spec);
    CostReport after = CostModel.of(g, 1);
    Provenance p = Provenance.builder()
        .setCriterion(spec.criterion().name())
        .setSeed(m.provenance().seed())
        .optSettings(m.provenance().settings())
        .optSetting("sparsity", Double.toString(sparsity))
        .optSetting("scope", sc.name().toLowerCase(Locale.ROOT))
        .optSetting("threshold", spec.thresholdMode().name().toLowerCase(Locale.ROOT))
        .optSetting("source", model.getFileName().toString())
        .build();
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

  static Scope parseScope(String s) {
    for (Scope v : Scope.values()) {
      if (v.name().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown --scope '" + s + "'; use layer, row or global");
  }
}
