package org.prunekit.criteria;

import java.util.Map;
import java.util.Objects;
import org.prunekit.core.tensor.TensorData;

/**
 * Optional per-parameter inputs for criteria that need more than weights, keyed by qualified
 * parameter name: calibration input column norms (for Wanda, RIA, ...) and gradients (for Taylor).
 * The arrays are not copied and must not change while pruning runs.
 *
 * @param inputColumnSquaredNorms per parameter, {@code ||X_j||^2} for each input column of the
 *     {@code [out, in*k...]} view
 * @param gradients per parameter, the loss gradient with the weight's shape
 */
public record ScoringInputs(Map<String, double[]> inputColumnSquaredNorms, Map<String, TensorData> gradients) {
  /** Copies the maps. */
  public ScoringInputs {
    inputColumnSquaredNorms = Map.copyOf(Objects.requireNonNull(inputColumnSquaredNorms, "inputColumnSquaredNorms"));
    gradients = Map.copyOf(Objects.requireNonNull(gradients, "gradients"));
  }

  /** No extra inputs (enough for weight-only criteria such as magnitude). */
  public static ScoringInputs none() {
    return new ScoringInputs(Map.of(), Map.of());
  }

  /** Only calibration column norms. */
  public static ScoringInputs ofNorms(Map<String, double[]> inputColumnSquaredNorms) {
    return new ScoringInputs(inputColumnSquaredNorms, Map.of());
  }
}
