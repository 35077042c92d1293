package org.prunekit.analysis.impact;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.List;
import java.util.Objects;

/**
 * All IMPACT metrics of one model, serialisable to JSON ({@link #toJson()}); NaN values (e.g. an
 * undefined selectivity mean) are written as {@code NaN}.
 *
 * @param model a name for the model
 * @param images images the metrics were measured on
 * @param accuracy top-1 accuracy on those images
 * @param blockWeightSparsity fraction of zero weights among the circuit weights (attention
 *     projections and MLP weights)
 * @param circuit the task circuit
 * @param selectivity class selectivity per layer
 * @param sae sparse-autoencoder quality per layer
 * @param attribution insertion / deletion AUC
 * @param seconds wall-clock seconds of the whole analysis
 */
public record ImpactReport(String model, int images, double accuracy, double blockWeightSparsity, Circuit circuit,
    List<Selectivity> selectivity, List<Sae> sae, AttributionFaithfulness.Score attribution, double seconds) {

  /** Copies the lists. */
  public ImpactReport {
    Objects.requireNonNull(model, "model");
    selectivity = List.copyOf(selectivity);
    sae = List.copyOf(sae);
  }

  /**
   * Circuit summary.
   *
   * @param taskClasses the classes of the task images
   * @param taskImages images the mask was trained on
   * @param nodes heads plus neurons
   * @param activeNodes active nodes after binarisation
   * @param activeHeads active heads
   * @param activeFraction active nodes / nodes
   * @param edges circuit edges
   * @param allNodeEdges edges with every node active
   * @param softKl KL of the soft mask at the end
   * @param binaryKl KL of the binarised mask
   * @param steps optimisation steps
   */
  public record Circuit(int[] taskClasses, int taskImages, int nodes, int activeNodes, int activeHeads,
      double activeFraction, long edges, long allNodeEdges, double softKl, double binaryKl, int steps) {}

  /**
   * Selectivity summary of one layer.
   *
   * @param layer the node
   * @param neurons neurons of the layer
   * @param mean mean index over defined neurons
   * @param median median index over defined neurons
   * @param undefined neurons without an index
   */
  public record Selectivity(String layer, int neurons, double mean, double median, int undefined) {}

  /**
   * Sparse-autoencoder summary of one layer.
   *
   * @param layer the node whose output was encoded
   * @param width representation width {@code d}
   * @param dictionarySize latents {@code D}
   * @param k average active latents
   * @param trainRows rows (tokens) trained on
   * @param metrics quality on held-out rows
   */
  public record Sae(String layer, int width, int dictionarySize, int k, int trainRows, BatchTopKSae.Metrics metrics) {}

  /** Pretty-printed JSON. */
  public String toJson() {
    return gson().toJson(this);
  }

  /** Reads a report written by {@link #toJson()}. */
  public static ImpactReport fromJson(String json) {
    return gson().fromJson(json, ImpactReport.class);
  }

  private static Gson gson() {
    return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
  }
}
