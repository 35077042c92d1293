package org.prunekit.criteria.structured;

import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.TensorData;

/**
 * What a {@link GroupImportance} may read besides the group: the graph the group belongs to, loss
 * gradients by qualified parameter name (empty unless calibration batches were given), how to
 * reduce over members, and a seed for random baselines.
 *
 * @param graph the graph the groups were built from (read only)
 * @param gradients mean loss gradient per qualified parameter name, with the parameter's shape
 * @param reduction how member scores are combined
 * @param seed seed for randomised importances
 */
public record GroupScoringContext(Graph graph, Map<String, TensorData> gradients, GroupReduction reduction, long seed) {
  /** Validates and copies. */
  public GroupScoringContext {
    Objects.requireNonNull(graph, "graph");
    gradients = Map.copyOf(Objects.requireNonNull(gradients, "gradients"));
    Objects.requireNonNull(reduction, "reduction");
  }

  /**
   * The gradient of {@code qualifiedName}.
   *
   * @throws IllegalArgumentException naming the parameter and the importance if there is none or its
   *     shape differs from the parameter's
   */
  public TensorData requireGradient(String qualifiedName, String importance) {
    TensorData g = gradients.get(qualifiedName);
    if (g == null) {
      throw new IllegalArgumentException("importance '" + importance + "' needs the gradient of '" + qualifiedName
          + "'; give calibration batches (StructuredCalibration.fromBatches) or gradients");
    }
    if (!g.shape().equals(graph.parameter(qualifiedName).shape())) {
      throw new IllegalArgumentException("gradient of '" + qualifiedName + "' has shape " + g.shape()
          + ", the parameter has " + graph.parameter(qualifiedName).shape());
    }
    return g;
  }
}
