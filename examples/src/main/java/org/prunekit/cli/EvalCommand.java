package org.prunekit.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.eval.LossResult;
import org.prunekit.core.io.SavedModel;
import org.prunekit.examples.ClassifierTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code prunekit eval}: top-1 accuracy of an ONNX or PruneKit model on an IDX data set, or the
 * validation loss (nats/char) of a llama2.c character model on a text ({@code --llama2c}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Print the top-1 accuracy of an ONNX or PruneKit model on IDX image data (MNIST layout),",
        "or with --llama2c MODEL.bin --text FILE the validation loss (nats/char) of a llama2.c character model",
        "on the last 10%% of the text."})
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--model", description = "model file (.onnx or PruneKit .pkm)")
  Path model;

  @Option(names = "--data", description = "directory with <prefix>-images-idx3-ubyte[.gz] and labels")
  Path data;

  @Option(names = "--llama2c", description = "llama2.c checkpoint (.bin) of a character model")
  Path llama2c;

  @Option(names = "--text", description = "with --llama2c: the corpus; the last 10%% is the validation split")
  Path text;

  @Option(names = "--vocab", description = "with --llama2c: vocab.json (default: vocab.json beside the model)")
  Path vocab;

  @Option(names = "--seq", description = "with --llama2c: window length (default: min(128, seq_len))")
  Integer seq;

  @Option(names = "--windows", description = "with --llama2c: evaluate only the first N validation windows")
  Integer windows;

  @Option(names = "--batch", defaultValue = "64", description = "with --llama2c: windows per forward (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--prefix", defaultValue = "t10k", description = "IDX file prefix (default: ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--scale", description = "multiply pixels by this (default: the model's recorded input.scale, else 1 = raw 0..255)")
  Float scale;

  @Option(names = "--limit", description = "evaluate only the first N images")
  Integer limit;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (llama2c != null) {
      if (model != null || data != null) {
        throw new IllegalArgumentException("--llama2c excludes --model and --data");
      }
      Llama2cFiles f = Llama2cFiles.open(llama2c, text, vocab, seq);
      long start = System.nanoTime();
      LossResult r = Llama2cFiles.loss(f.graph(), f.validation(windows), batch);
      common.out().printf(Locale.ROOT, "model %s: validation loss %s, window %d, in %.1f s%n", llama2c.getFileName(),
          Llama2cFiles.describe(r), f.seq, (System.nanoTime() - start) / 1e9);
      return 0;
    }
    if (model == null || data == null) {
      throw new IllegalArgumentException("give --model and --data (image classifier) or --llama2c and --text (character model)");
    }
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
