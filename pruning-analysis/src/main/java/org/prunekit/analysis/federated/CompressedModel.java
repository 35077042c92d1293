package org.prunekit.analysis.federated;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringContext;
import org.prunekit.criteria.ThresholdMode;
import org.prunekit.criteria.magnitude.MagnitudeCriterion;
import org.prunekit.criteria.select.MaskSelector;

/**
 * A model as sent over the network: every parameter's values with a 0/1 keep-mask. {@link #of}
 * keeps the {@code floor}-rounded largest-magnitude fraction {@code rho} of all parameters (weights
 * and biases together, one global threshold: magnitude scores from {@link MagnitudeCriterion},
 * selection by {@link MaskSelector} in {@link Scope#GLOBAL} scope, exact count).
 *
 * @param values parameter values by qualified name (pruned entries are 0)
 * @param masks keep-masks by qualified name (1 = sent)
 * @param kept number of entries sent
 * @param total number of entries in the model
 */
public record CompressedModel(Map<String, float[]> values, Map<String, float[]> masks, long kept, long total) {
  /** Copies the maps (the arrays are owned by this record). */
  public CompressedModel {
    values = Map.copyOf(values);
    masks = Map.copyOf(masks);
  }

  /**
   * Compresses {@code model}'s current values to retention {@code rho} (the model is unchanged).
   *
   * @throws IllegalArgumentException for {@code rho} outside (0, 1] or a non-finite parameter
   */
  public static CompressedModel of(Graph model, double rho) {
    if (!(rho > 0 && rho <= 1)) {
      throw new IllegalArgumentException("retention must be in (0, 1], got " + rho);
    }
    Map<String, Tensor> scores = new LinkedHashMap<>();
    MagnitudeCriterion magnitude = new MagnitudeCriterion();
    long total = 0;
    for (Parameter p : model.parameters()) {
      int bad = p.value().firstNonFinite();
      if (bad >= 0) {
        throw new IllegalArgumentException("parameter '" + p.qualifiedName() + "' has a non-finite value at index "
            + bad + "; cannot compress it");
      }
      scores.put(p.qualifiedName(), magnitude.score(ScoringContext.builderFor(p).build()));
      total += p.numel();
    }
    MaskSet sel = MaskSelector.select(scores, 1 - rho, Scope.GLOBAL, ThresholdMode.EXACT);
    Map<String, float[]> values = new LinkedHashMap<>();
    Map<String, float[]> masks = new LinkedHashMap<>();
    long kept = 0;
    for (Parameter p : model.parameters()) {
      float[] v = p.value().toFloatArray();
      float[] m = sel.mask(p.qualifiedName()).toFloatArray();
      for (int i = 0; i < v.length; i++) {
        if (m[i] == 0f) {
          v[i] = 0f;
        } else {
          kept++;
        }
      }
      values.put(p.qualifiedName(), v);
      masks.put(p.qualifiedName(), m);
    }
    return new CompressedModel(values, masks, kept, total);
  }

  /** {@code model}'s values, uncompressed (all masks 1). */
  public static CompressedModel dense(Graph model) {
    Map<String, float[]> values = new LinkedHashMap<>();
    Map<String, float[]> masks = new LinkedHashMap<>();
    long total = 0;
    for (Parameter p : model.parameters()) {
      values.put(p.qualifiedName(), p.value().toFloatArray());
      float[] ones = new float[(int) p.numel()];
      java.util.Arrays.fill(ones, 1f);
      masks.put(p.qualifiedName(), ones);
      total += p.numel();
    }
    return new CompressedModel(values, masks, total, total);
  }

  /** Fraction of entries sent. */
  public double keptFraction() {
    return total == 0 ? 1 : (double) kept / total;
  }
}
