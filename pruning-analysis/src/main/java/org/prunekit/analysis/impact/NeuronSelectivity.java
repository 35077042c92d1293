package org.prunekit.analysis.impact;

import java.util.Arrays;
import java.util.Objects;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.tensor.Tensor;

/**
 * Class selectivity of every neuron of a layer ({@link Selectivity#index}). A neuron's activation
 * on an image is the layer output averaged over the image's tokens (for {@code [N, T, F]} outputs);
 * its class means are the averages over the images of each class.
 */
public final class NeuronSelectivity {
  private NeuronSelectivity() {}

  /**
   * Selectivity of one layer.
   *
   * @param layer the node
   * @param indices one index per neuron ({@code NaN} where undefined)
   * @param mean mean of the defined indices
   * @param median median of the defined indices
   * @param undefined neurons without an index (all clamped class means 0)
   */
  public record LayerSelectivity(String layer, double[] indices, double mean, double median, int undefined) {
    /** Copies the indices. */
    public LayerSelectivity {
      indices = indices.clone();
    }
  }

  /**
   * Measures a layer on labelled data (every class must occur).
   *
   * @throws IllegalArgumentException if the layer is not found, a class has no image, or an
   *     activation is NaN
   */
  public static LayerSelectivity measure(PatchModel model, ImpactData data, String layer, int batchSize) {
    Objects.requireNonNull(model, "model");
    data.requireFits(model);
    ModelRuns.requireLayer(model.graph(), layer);
    Tensor acts;
    try (GraphExecutor ex = GraphExecutor.create(model.graph())) {
      acts = ModelRuns.layerOutput(ex, model, data, layer, true, batchSize);
    }
    int bad = acts.firstNonFinite();
    if (bad >= 0) {
      throw new IllegalArgumentException("layer '" + layer + "' produced a non-finite activation " + acts.data()[bad]);
    }
    return fromActivations(layer, acts.data(), data.labels(), data.classes());
  }

  /**
   * Selectivity from per-image activations {@code [N, F]} and labels.
   *
   * @throws IllegalArgumentException if a class has no image or sizes do not match
   */
  public static LayerSelectivity fromActivations(String layer, float[] activations, int[] labels, int classes) {
    int n = labels.length;
    if (n == 0 || activations.length % n != 0) {
      throw new IllegalArgumentException("selectivity of '" + layer + "': " + activations.length
          + " activations do not split into " + n + " images");
    }
    int f = activations.length / n;
    double[][] sums = new double[classes][f];
    int[] counts = new int[classes];
    for (int i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (int j = 0; j < f; j++) {
        sums[labels[i]][j] += activations[i * f + j];
      }
    }
    for (int c = 0; c < classes; c++) {
      if (counts[c] == 0) {
        throw new IllegalArgumentException("selectivity of '" + layer + "': class " + c + " has no image");
      }
    }
    double[] idx = new double[f];
    double[] means = new double[classes];
    int undefined = 0;
    for (int j = 0; j < f; j++) {
      for (int c = 0; c < classes; c++) {
        means[c] = sums[c][j] / counts[c];
      }
      idx[j] = Selectivity.index(means);
      undefined += Double.isNaN(idx[j]) ? 1 : 0;
    }
    double[] defined = Arrays.stream(idx).filter(d -> !Double.isNaN(d)).sorted().toArray();
    double mean = defined.length == 0 ? Double.NaN : Arrays.stream(defined).average().orElse(Double.NaN);
    double median = defined.length == 0 ? Double.NaN
        : defined.length % 2 == 1 ? defined[defined.length / 2]
        : (defined[defined.length / 2 - 1] + defined[defined.length / 2]) / 2;
    return new LayerSelectivity(layer, idx, mean, median, undefined);
  }
}
