package org.prunekit.criteria.taylor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.criteria.select.MaskSelector;

/**
 * Which units (channels, neurons, heads) to keep, from per-layer unit scores (lower = prune
 * first): the allocations of spec B5 (global ranking, a count per iteration) and 3.3 (the same
 * fraction per layer, or global after dividing by each layer's mean). Every allocation keeps at
 * least one unit per layer. Ties: stable ascending order, i.e. the lower index (and, globally, the
 * earlier layer in the map's iteration order) is pruned first.
 *
 * <p>Results map each layer to {@code keep[u]} ({@code true} = keep), in the input's order; they
 * feed structural pruning (removing the units) or masking of the producing layer's rows.
 */
public final class UnitSelection {
  private UnitSelection() {}

  /**
   * Per layer, prunes {@code floor(fraction * n)} lowest-scoring units (at most {@code n - 1}).
   *
   * @throws IllegalArgumentException naming the layer or value if {@code fraction} is outside
   *     {@code [0, 1)}, a layer has no units or a score is NaN/Inf
   */
  public static Map<String, boolean[]> perLayer(Map<String, double[]> scores, double fraction) {
    MaskSelector.requireSparsity(fraction);
    validate(scores);
    Map<String, boolean[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : scores.entrySet()) {
      double[] s = e.getValue();
      int k = (int) Math.min(MaskSelector.prunedCount(s.length, fraction), s.length - 1L);
      boolean[] keep = new boolean[s.length];
      Arrays.fill(keep, true);
      Integer[] order = ascending(s);
      for (int i = 0; i < k; i++) {
        keep[order[i]] = false;
      }
      out.put(e.getKey(), keep);
    }
    return out;
  }

  /**
   * One global ranking over all layers; prunes {@code floor(fraction * total)} units.
   *
   * @param normalizeByLayerMean divide each layer's scores by their mean first (AGF option; a
   *     layer whose mean is 0 keeps its zeros)
   * @throws IllegalArgumentException as {@link #perLayer}
   */
  public static Map<String, boolean[]> global(Map<String, double[]> scores, double fraction,
      boolean normalizeByLayerMean) {
    MaskSelector.requireSparsity(fraction);
    validate(scores);
    long total = scores.values().stream().mapToLong(s -> s.length).sum();
    return globalCount(scores, (int) MaskSelector.prunedCount(total, fraction), normalizeByLayerMean);
  }

  /**
   * One global ranking over all layers; prunes the {@code count} lowest units, skipping a unit
   * whose removal would empty its layer (Taylor's {@code prune_per_iteration} step).
   *
   * @throws IllegalArgumentException if {@code count} is negative or more than the units that can
   *     go while every layer keeps one, or as {@link #perLayer}
   */
  public static Map<String, boolean[]> globalCount(Map<String, double[]> scores, int count,
      boolean normalizeByLayerMean) {
    validate(scores);
    long total = scores.values().stream().mapToLong(s -> s.length).sum();
    if (count < 0 || count > total - scores.size()) {
      throw new IllegalArgumentException("cannot prune " + count + " of " + total + " units in " + scores.size()
          + " layer(s) while keeping one per layer");
    }
    List<String> names = new ArrayList<>(scores.keySet());
    List<double[]> values = new ArrayList<>();
    for (double[] s : scores.values()) {
      values.add(normalizeByLayerMean ? byMean(s) : s);
    }
    int n = (int) total;
    int[] layerOf = new int[n];
    int[] unitOf = new int[n];
    double[] flat = new double[n];
    int k = 0;
    for (int l = 0; l < values.size(); l++) {
      double[] s = values.get(l);
      for (int u = 0; u < s.length; u++) {
        layerOf[k] = l;
        unitOf[k] = u;
        flat[k++] = s[u];
      }
    }
    Integer[] order = ascending(flat);
    int[] left = new int[names.size()];
    Map<String, boolean[]> out = new LinkedHashMap<>();
    for (int l = 0; l < names.size(); l++) {
      left[l] = values.get(l).length;
      boolean[] keep = new boolean[left[l]];
      Arrays.fill(keep, true);
      out.put(names.get(l), keep);
    }
    int pruned = 0;
    for (int i = 0; i < n && pruned < count; i++) {
      int idx = order[i];
      int l = layerOf[idx];
      if (left[l] > 1) {
        out.get(names.get(l))[unitOf[idx]] = false;
        left[l]--;
        pruned++;
      }
    }
    return out;
  }

  private static double[] byMean(double[] s) {
    double mean = 0;
    for (double v : s) {
      mean += v;
    }
    mean /= s.length;
    double[] out = s.clone();
    if (mean != 0) {
      for (int i = 0; i < out.length; i++) {
        out[i] /= mean;
      }
    }
    return out;
  }

  private static Integer[] ascending(double[] s) {
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> s[i])); // stable: ties keep index order
    return order;
  }

  private static void validate(Map<String, double[]> scores) {
    Objects.requireNonNull(scores, "scores");
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("no layers to select units from");
    }
    for (Map.Entry<String, double[]> e : scores.entrySet()) {
      double[] s = Objects.requireNonNull(e.getValue(), () -> "scores of '" + e.getKey() + "'");
      if (s.length == 0) {
        throw new IllegalArgumentException("layer '" + e.getKey() + "' has no units");
      }
      FeatureTaylor.requireFinite(e.getKey(), "unit score", s);
    }
  }
}
