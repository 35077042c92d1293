package org.prunekit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostReport;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.mask.SparsityReport;

/** Saves the demo's models in the PruneKit format with their provenance. */
final class DemoOutput {
  private DemoOutput() {}

  static Provenance provenance(String criterion, double sparsity, FashionMnistDemo.Options o) {
    return Provenance.builder()
        .setCriterion(criterion)
        .setSeed(o.seed())
        .optSetting("sparsity", Double.toString(sparsity))
        .optSetting("scope", "layer")
        .optSetting("fineTuneEpochs", Integer.toString(o.fineTuneEpochs()))
        .optSetting("input.scale", Float.toString(1f / 255f))
        .optSetting("data", o.dataDir() == null ? "shipped fashion-mnist t10k" : o.dataDir().toString())
        .build();
  }

  static void save(Graph g, CostReport denseCost, double sparsity, FashionMnistDemo.Options o, PrintStream out)
      throws IOException {
    String name = sparsity == 0 ? "dense" : String.format(Locale.ROOT, "magnitude-%02.0f", 100 * sparsity);
    Path model = o.outDir().resolve(name + ".pkm");
    Provenance p = provenance(sparsity == 0 ? "none" : "magnitude", sparsity, o);
    ModelFormat.save(g, p, model);
    CostReport cost = CostModel.of(g, 1);
    PruneReport.write(PruneReport.build(denseCost, cost, SparsityReport.of(g), p), o.outDir().resolve(name + ".json"));
    out.println("  saved " + model);
  }
}
