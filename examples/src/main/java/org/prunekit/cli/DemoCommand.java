package org.prunekit.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.prunekit.examples.FashionMnistDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prunekit demo}: the main job (see {@link FashionMnistDemo}). */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Train a small CNN on real Fashion-MNIST images, prune it with magnitude at 50/70/90%% unstructured,",
        "fine-tune with the masks held, and print sparsity, non-zero parameters, MACs, accuracy and latency."})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--data", description = "directory with full IDX data (train-* and t10k-*); default: the shipped test set")
  Path data;

  @Option(names = "--epochs", defaultValue = "3", description = "training epochs (default: ${DEFAULT-VALUE})")
  int epochs;

  @Option(names = "--fine-tune-epochs", defaultValue = "1", description = "fine-tuning epochs per sparsity (default: ${DEFAULT-VALUE})")
  int fineTuneEpochs;

  @Option(names = "--sparsity", split = ",", defaultValue = "0.5,0.7,0.9", description = "sparsities (default: ${DEFAULT-VALUE})")
  double[] sparsities;

  @Option(names = "--batch", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--seed", defaultValue = "42", description = "initialisation seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", description = "directory to save the dense and pruned models (.pkm) and reports (.json)")
  Path out;

  @Option(names = "--train-size", defaultValue = "0", description = "use at most N training images (0 = all)")
  int trainSize;

  @Option(names = "--test-size", defaultValue = "0", description = "use at most N evaluation images (0 = all)")
  int testSize;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    PrintStream stream = new PrintStream(new WriterOutputStream(common.out()), true, StandardCharsets.UTF_8);
    FashionMnistDemo.run(
        new FashionMnistDemo.Options(data, epochs, fineTuneEpochs, sparsities, batch, seed, out, trainSize, testSize), stream);
    stream.flush();
    common.out().printf("demo finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
