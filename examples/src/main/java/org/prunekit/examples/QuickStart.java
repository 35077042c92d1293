package org.prunekit.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.io.SavedModel;
import org.prunekit.core.io.onnx.OnnxExporter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;

/**
 * The code of the quick start in {@code docs/core.md}: build a graph, run it, prune it, count it,
 * save and load it, export it to ONNX. Run with {@code ./prunekit} classes on the class path, or
 * through its test.
 */
public final class QuickStart {
  private QuickStart() {}

  /** Runs the quick start, writing files into {@code dir}. */
  public static void run(Path dir, PrintStream out) throws Exception {
    // 1. A model in a few lines; parameters initialised from the seed.
    Graph g = GraphBuilder.create(42)
        .input("image", 1, 28, 28)
        .conv2d("conv1", 8, 3, 1, 1).relu().maxPool2d(2)
        .flatten()
        .linear("fc", 10)
        .build();
    out.print(g.summary());

    // 2. Run it on DJL's PyTorch engine (CPU, offline). The executor owns native memory: close it.
    Tensor x = Tensor.zeros(g.inputs().get(0).sampleShape().withBatch(4));
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      out.println("logits shape " + ex.predict(x).shape());
    }

    // 3. Prune 50% of every conv/linear weight by magnitude, per output row; masks stay attached.
    PruningResult r = Pruning.prune(g, PruningSpec.of("magnitude", 0.5, Scope.ROW));
    out.print(r.report());

    // 4. Count: dense vs effective MACs and parameters for one image.
    out.print(CostModel.of(g, 1).toTable());

    // 5. Save with provenance, load it back, export to ONNX (masks baked in).
    Path model = dir.resolve("quickstart.pkm");
    ModelFormat.save(g, Provenance.builder().setCriterion("magnitude").setSeed(42)
        .optSetting("sparsity", "0.5").build(), model);
    SavedModel loaded = ModelFormat.load(model);
    out.println("loaded " + loaded.graph().parameters().size() + " parameters, criterion "
        + loaded.provenance().criterion());
    OnnxExporter.save(loaded.graph(), dir.resolve("quickstart.onnx"));
    out.println("wrote " + Files.size(dir.resolve("quickstart.onnx")) + " bytes of ONNX");
  }

  /** Entry point: writes into a temporary directory. */
  public static void main(String[] args) throws Exception {
    run(Files.createTempDirectory("prunekit-quickstart"), System.out);
  }
}
