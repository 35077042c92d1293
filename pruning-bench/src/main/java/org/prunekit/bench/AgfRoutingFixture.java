package org.prunekit.bench;

import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.LeNetConfig;
import org.prunekit.core.zoo.ModelZoo;
import org.prunekit.criteria.structured.CalibrationBatch;
import org.prunekit.dynamic.route.AgfLightExpert;
import org.prunekit.dynamic.route.GraphFit;

/**
 * The shared set-up of the AGF routing study ({@code org.prunekit.examples.AgfRoutingStudy}) and
 * {@link AgfRoutingBenchmark}: Fashion-MNIST splits, a LeNet-5 (widths 16/32/128/64) trained by the
 * project, and its AGF light expert.
 *
 * <p>Splits: with {@code <shared>/data/fashion-mnist/train-*} present, train on {@code train[0,
 * trainImages)}, calibrate the routing threshold on {@code train[50000, 60000)} (never trained on)
 * and test on the 10,000 {@code t10k} images. Without it, the shipped {@code t10k} file alone is
 * split: train {@code [0, 6000)}, validation {@code [6000, 8000)}, test {@code [8000, 10000)}.
 * Pixels are scaled to {@code [0, 1]}.
 */
public final class AgfRoutingFixture {
  private AgfRoutingFixture() {}

  /**
   * The three disjoint splits and where they came from.
   *
   * @param train training images for the dense model (and the AGF calibration batches)
   * @param validation threshold calibration split
   * @param test held-out evaluation split
   * @param source a one-line description of the files and ranges
   */
  public record Splits(IdxDataset train, IdxDataset validation, IdxDataset test, String source) {
    /** Validates the fields. */
    public Splits {
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(validation, "validation");
      Objects.requireNonNull(test, "test");
    }
  }

  /**
   * The dense expert and its AGF light expert.
   *
   * @param dense the trained dense model
   * @param light the AGF-pruned (and optionally fine-tuned) light expert
   * @param agf the AGF pruning result (utilities, report)
   * @param denseLoss last-epoch training loss of the dense model
   * @param seconds wall time of training, pruning and fine-tuning
   */
  public record Experts(Graph dense, Graph light, AgfLightExpert agf, float denseLoss, double seconds) {}

  /**
   * Loads the splits.
   *
   * @param shared the shared directory ({@code /work/shared}), or null to use the shipped data only
   * @param shippedDir the shipped Fashion-MNIST directory ({@code examples/data/fashion-mnist})
   * @param trainImages training images to use when the full training file is there ({@code <= 50000})
   * @throws IOException if no data is found (naming the directories tried)
   */
  public static Splits splits(Path shared, Path shippedDir, int trainImages) throws IOException {
    Path full = shared == null ? null : shared.resolve("data/fashion-mnist");
    if (full != null && Files.isRegularFile(full.resolve("train-images-idx3-ubyte.gz"))) {
      IdxDataset train = IdxDataset.loadDir(full, "train").scaled(1f / 255);
      IdxDataset test = IdxDataset.loadDir(full, "t10k").scaled(1f / 255);
      int n = Math.min(trainImages, 50_000);
      return new Splits(train.subset(0, n), train.subset(50_000, 60_000), test, full + ": train[0," + n
          + "), validation train[50000,60000), test t10k[0,10000)");
    }
    if (!Files.isRegularFile(shippedDir.resolve("t10k-images-idx3-ubyte.gz"))) {
      throw new IOException("no Fashion-MNIST data: neither " + full + " nor " + shippedDir + " holds the IDX files");
    }
    IdxDataset t = IdxDataset.loadDir(shippedDir, "t10k").scaled(1f / 255);
    return new Splits(t.subset(0, 6000), t.subset(6000, 8000), t.subset(8000, 10_000), shippedDir
        + " (shipped t10k only): train[0,6000), validation [6000,8000), test [8000,10000)");
  }

  /** The shipped data directory: {@code -Dprunekit.fashion.dir}, else {@code examples/data/fashion-mnist}. */
  public static Path shippedDir() {
    String p = System.getProperty("prunekit.fashion.dir");
    if (p != null) {
      return Path.of(p);
    }
    Path here = Path.of("examples/data/fashion-mnist");
    return Files.isDirectory(here) ? here : Path.of("../examples/data/fashion-mnist");
  }

  /** The dense model: {@code ModelZoo.leNet} with widths 16, 32, 128, 64 and 10 classes. */
  public static Graph denseModel(long seed) {
    return ModelZoo.leNet(new LeNetConfig(16, 32, 128, 64, 10, seed));
  }

  /**
   * Trains the dense model, builds the AGF light expert and fine-tunes it.
   *
   * @param s the splits
   * @param epochs dense training epochs (Adam 1e-3, batch 64)
   * @param channelRatio fraction of units AGF removes from every group
   * @param calibrationImages training images {@code [0, n)} for the AGF utilities (batches of 128)
   * @param fineTuneEpochs epochs of light-expert fine-tuning on the training split (0: none)
   * @param seed initialisation and shuffling seed
   * @throws IllegalStateException if a training loss is NaN (oneDNN's convolution backward returns
   *     NaN for some pruned widths on AVX-512 CPUs: call {@code OneDnnSwitch.disable()} first, or
   *     keep the pruned widths multiples of 8, which ratio 0.5 of 16/32/128/64 does)
   */
  public static Experts experts(Splits s, int epochs, double channelRatio, int calibrationImages, int fineTuneEpochs,
      long seed) {
    long t0 = System.nanoTime();
    Graph dense = denseModel(seed);
    Tensor x = s.train().images();
    Tensor y = GraphFit.classTargets(s.train().labels());
    float loss = GraphFit.train(dense, Loss.softmaxCrossEntropyLoss(), x, y, epochs, 64, 1e-3f, seed);
    if (Float.isNaN(loss)) {
      throw new IllegalStateException("dense training loss is NaN (see OneDnnSwitch)");
    }
    AgfLightExpert agf = AgfLightExpert.builder().setDense(dense)
        .setCalibration(calibration(s.train().subset(0, Math.min(calibrationImages, s.train().size())), 128))
        .setChannelRatio(channelRatio).build();
    Graph light = agf.pruned();
    if (fineTuneEpochs > 0) {
      float l = GraphFit.train(light, Loss.softmaxCrossEntropyLoss(), x, y, fineTuneEpochs, 64, 1e-3f, seed + 1);
      if (Float.isNaN(l)) {
        throw new IllegalStateException("light expert fine-tuning loss is NaN (see OneDnnSwitch)");
      }
    }
    return new Experts(dense, light, agf, loss, (System.nanoTime() - t0) / 1e9);
  }

  /** Calibration batches of {@code batch} images with float class-index labels. */
  public static List<CalibrationBatch> calibration(IdxDataset d, int batch) {
    List<CalibrationBatch> out = new ArrayList<>();
    for (IdxDataset.Batch b : d.batches(batch)) {
      float[] l = new float[b.size()];
      for (int i = 0; i < l.length; i++) {
        l[i] = b.labels()[i];
      }
      out.add(CalibrationBatch.of(b.images(), new Tensor(new Shape(l.length), l)));
    }
    return out;
  }
}
