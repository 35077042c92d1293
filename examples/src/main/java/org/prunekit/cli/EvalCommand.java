package org.prunekit.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.io.SavedModel;
import org.prunekit.examples.ClassifierTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prunekit eval}: top-1 accuracy of an ONNX or PruneKit model on an IDX data set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Print the top-1 accuracy of an ONNX or PruneKit model on IDX image data (MNIST layout).")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "model file (.onnx or PruneKit .pkm)")
  Path model;

  @Option(names = "--data", required = true, description = "directory with <prefix>-images-idx3-ubyte[.gz] and labels")
  Path data;

  @Option(names = "--prefix", defaultValue = "t10k", description = "IDX file prefix (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--scale", description = "multiply pixels by this (default: the model's recorded input.scale, else 1 = raw 0..255)")
  Float scale;

  @Option(names = "--limit", description = "evaluate only the first N images")
  Integer limit;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    SavedModel m = ModelFiles.load(model);
    float s = scale != null ? scale : ModelFiles.inputScale(m.provenance());
    IdxDataset d = IdxDataset.loadDir(data, prefix);
    if (limit != null) {
      d = d.subset(0, Math.min(limit, d.size()));
    }
    if (s != 1f) {
      d = d.scaled(s);
    }
    long start = System.nanoTime();
    double acc = ClassifierTraining.accuracy(m.graph(), d, 500);
    common.out().printf(Locale.ROOT, "model %s: top-1 accuracy %.2f%% on %d images (%s, pixel scale %s) in %.1f s%n",
        model.getFileName(), 100 * acc, d.size(), prefix, s, (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
