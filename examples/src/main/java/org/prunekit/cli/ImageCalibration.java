package org.prunekit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.calibration.ActivationCalibration;

/** Calibration batches for image models from an IDX directory: a seeded, reproducible sample. */
final class ImageCalibration {
  private ImageCalibration() {}

  /**
   * Picks {@code samples} distinct images with {@code seed} (a partial Fisher-Yates shuffle, so the
   * same seed and data always give the same images in the same order) and collects statistics.
   */
  static ActivationCalibration.Result collect(Graph g, Targets targets, Path dir, String prefix, float scale,
      int samples, long seed) throws IOException {
    if (dir == null) {
      throw new IllegalArgumentException("this criterion needs calibration inputs: give --data DIR with IDX images");
    }
    IdxDataset d = IdxDataset.loadDir(dir, prefix);
    if (samples < 1 || samples > d.size()) {
      throw new IllegalArgumentException("--calibration must be in [1, " + d.size() + "], got " + samples);
    }
    int[] order = new int[d.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < samples; i++) {
      int j = i + rng.nextInt(order.length - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int per = d.rows() * d.cols();
    List<Tensor> batches = new ArrayList<>();
    for (int from = 0; from < samples; from += 64) {
      int n = Math.min(64, samples - from);
      float[] data = new float[n * per];
      for (int i = 0; i < n; i++) {
        float[] img = d.image(order[from + i]);
        for (int k = 0; k < per; k++) {
          data[i * per + k] = img[k] * scale;
        }
      }
      batches.add(new Tensor(d.sampleShape().withBatch(n), data));
    }
    return ActivationCalibration.collect(g, targets, batches);
  }
}
