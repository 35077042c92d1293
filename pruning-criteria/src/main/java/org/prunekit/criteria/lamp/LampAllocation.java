package org.prunekit.criteria.lamp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.mask.Masks;
import org.prunekit.core.mask.SparsityReport;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.select.MaskSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LAMP's layer-wise sparsity allocation as the reference computes it (spec B4, {@code
 * _compute_lamp_amounts} then {@code prune_weights_l1predefined}):
 *
 * <ol>
 *   <li>In every layer, score the still-unmasked weights with {@link LampScores}.
 *   <li>{@code survivors = rint(total_unmasked * (1 - s))} — round half to even, as {@code
 *       np.round} does (spec 0.5).
 *   <li>The threshold is the smallest of the {@code survivors} highest scores over all layers;
 *       each layer keeps {@code kept = #(scores >= threshold)} (ties may keep a few more than
 *       {@code survivors}); its amount is {@code 1 - kept / unmasked}.
 *   <li>Each layer then keeps its {@code kept} largest-magnitude unmasked weights (ties: the lower
 *       index is pruned first). Already masked weights stay masked.
 * </ol>
 *
 * <p>Every layer's largest weight scores exactly 1, so whenever {@code survivors >= 1} no layer is
 * emptied, however different the layers' scales.
 */
public final class LampAllocation {
  private static final Logger LOG = LoggerFactory.getLogger(LampAllocation.class);

  private LampAllocation() {}

  /**
   * The allocation's outcome.
   *
   * @param survivors the global survivor count {@code rint(totalUnmasked * (1 - s))}
   * @param threshold the LAMP score threshold
   * @param unmasked per layer, weights unmasked before this allocation
   * @param kept per layer, weights kept
   * @param amounts per layer, {@code 1 - kept / unmasked} (0 for a layer with nothing unmasked)
   * @param masks per layer, the new mask (already masked entries stay 0)
   */
  public record Result(long survivors, double threshold, Map<String, Long> unmasked, Map<String, Long> kept,
      Map<String, Double> amounts, MaskSet masks) {
    /** Copies the maps. */
    public Result {
      unmasked = Collections.unmodifiableMap(new LinkedHashMap<>(unmasked));
      kept = Collections.unmodifiableMap(new LinkedHashMap<>(kept));
      amounts = Collections.unmodifiableMap(new LinkedHashMap<>(amounts));
      Objects.requireNonNull(masks, "masks");
    }
  }

  /**
   * Allocates over the given layers.
   *
   * @param weights per layer (qualified parameter name), the weight; iteration order is kept
   * @param masks per layer, the current 0/1 mask (layers absent are fully unmasked)
   * @param sparsity the global target sparsity of the unmasked weights, in {@code [0, 1)}
   * @throws IllegalArgumentException naming the layer, index or value for a NaN/infinite weight, a
   *     mask of the wrong shape or with values other than 0/1, a mask for an unknown layer, no
   *     layers, an invalid sparsity, or a sparsity that leaves no survivor
   */
  public static Result allocate(Map<String, ? extends TensorData> weights, Map<String, ? extends TensorData> masks,
      double sparsity) {
    return allocate(weights, masks, sparsity, null);
  }

  /**
   * The weighted generalisation used by SLAMP (spec 3.6): every score of layer {@code l} is
   * multiplied by {@code layerFactors.get(l)} before the global threshold; the rest is as {@link
   * #allocate(Map, Map, double)}. A factor below 1 could put a whole layer under the threshold, so
   * here a layer with unmasked weights always keeps at least its largest one (with all factors 1,
   * plain LAMP, this never changes anything: the largest score of every layer is 1, never below
   * the threshold). All factors 1 give exactly {@link #allocate(Map, Map, double)}.
   *
   * @param layerFactors per layer, a finite factor {@code > 0}; every layer needs one
   * @throws IllegalArgumentException as {@link #allocate(Map, Map, double)}, or naming a layer
   *     without a factor or with a factor that is not finite and positive
   */
  public static Result allocateWeighted(Map<String, ? extends TensorData> weights,
      Map<String, ? extends TensorData> masks, double sparsity, Map<String, Double> layerFactors) {
    Objects.requireNonNull(layerFactors, "layerFactors");
    for (String name : weights.keySet()) {
      Double f = layerFactors.get(name);
      if (f == null || !Double.isFinite(f) || f <= 0) {
        throw new IllegalArgumentException("layer '" + name + "' needs a finite positive score factor, got " + f);
      }
    }
    for (String name : layerFactors.keySet()) {
      if (!weights.containsKey(name)) {
        throw new IllegalArgumentException("score factor given for '" + name + "', which is not among the layers "
            + weights.keySet());
      }
    }
    return allocate(weights, masks, sparsity, layerFactors);
  }

  private static Result allocate(Map<String, ? extends TensorData> weights, Map<String, ? extends TensorData> masks,
      double sparsity, Map<String, Double> layerFactors) {
    MaskSelector.requireSparsity(sparsity);
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("LAMP allocation needs at least one layer");
    }
    for (String name : masks.keySet()) {
      if (!weights.containsKey(name)) {
        throw new IllegalArgumentException("mask given for '" + name + "', which is not among the layers "
            + weights.keySet());
      }
    }
    List<String> names = new ArrayList<>(weights.keySet());
    List<float[]> ws = new ArrayList<>();
    List<int[]> orders = new ArrayList<>();
    List<double[]> scores = new ArrayList<>();
    long total = 0;
    for (String name : names) {
      TensorData wt = weights.get(name);
      float[] w = wt.toFloatArray();
      for (int i = 0; i < w.length; i++) {
        if (!Float.isFinite(w[i])) {
          throw new IllegalArgumentException("weight '" + name + "' holds " + w[i] + " at index " + i
              + "; cannot allocate with non-finite weights");
        }
      }
      float[] m = null;
      TensorData mt = masks.get(name);
      if (mt != null) {
        if (!mt.shape().equals(wt.shape())) {
          throw new IllegalArgumentException("mask of '" + name + "' has shape " + mt.shape() + ", weight has "
              + wt.shape());
        }
        m = mt.toFloatArray();
        for (int i = 0; i < m.length; i++) {
          if (m[i] != 0f && m[i] != 1f) {
            throw new IllegalArgumentException("mask of '" + name + "' holds " + m[i] + " at index " + i
                + "; masks hold only 0 and 1");
          }
        }
      }
      int[] order = LampScores.ascendingOrder(w, m);
      ws.add(w);
      orders.add(order);
      double[] sc = LampScores.sortedScores(w, order);
      if (layerFactors != null) {
        double f = layerFactors.get(name);
        for (int u = 0; u < sc.length; u++) {
          sc[u] *= f;
        }
      }
      scores.add(sc);
      total += order.length;
    }
    long survivors = (long) Math.rint(total * (1.0 - sparsity));
    if (survivors <= 0) {
      throw new IllegalArgumentException("sparsity " + sparsity + " leaves rint(" + total + " * (1 - " + sparsity
          + ")) = 0 of " + total + " unmasked weights; LAMP needs at least one survivor");
    }
    double threshold = kthLargest(scores, total, survivors);
    Map<String, Long> unmasked = new LinkedHashMap<>();
    Map<String, Long> kept = new LinkedHashMap<>();
    Map<String, Double> amounts = new LinkedHashMap<>();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int l = 0; l < names.size(); l++) {
      double[] s = scores.get(l);
      int[] order = orders.get(l);
      int n = order.length;
      // scores are non-decreasing along the order, so those >= threshold form a suffix
      int k = 0;
      for (double v : s) {
        if (v >= threshold) {
          k++;
        }
      }
      if (layerFactors != null && k == 0 && n > 0) {
        k = 1; // weighted scores: never empty a layer (see allocateWeighted)
      }
      float[] mask = new float[ws.get(l).length];
      for (int u = n - k; u < n; u++) {
        mask[order[u]] = 1f;
      }
      String name = names.get(l);
      unmasked.put(name, (long) n);
      kept.put(name, (long) k);
      amounts.put(name, n == 0 ? 0.0 : 1.0 - (double) k / n);
      out.put(name, new Tensor(weights.get(name).shape(), mask));
    }
    LOG.debug("LAMP allocation at sparsity {}: {} of {} survive, threshold {}, amounts {}", sparsity, survivors,
        total, threshold, amounts);
    return new Result(survivors, threshold, unmasked, kept, amounts, MaskSet.of(out));
  }

  /**
   * Allocates over the target parameters of {@code graph}, reading their current masks; the graph
   * is not changed.
   *
   * @throws IllegalArgumentException as {@link #allocate(Map, Map, double)} and {@link
   *     Targets#resolve}
   */
  public static Result allocate(Graph graph, Targets targets, double sparsity) {
    MaskSelector.requireSparsity(sparsity);
    Map<String, TensorData> weights = new LinkedHashMap<>();
    Map<String, TensorData> masks = new LinkedHashMap<>();
    for (Parameter p : targets.resolve(graph)) {
      Masks.requireFinite(p);
      weights.put(p.qualifiedName(), p.value());
      if (p.hasMask()) {
        masks.put(p.qualifiedName(), p.mask());
      }
    }
    return allocate(weights, masks, sparsity);
  }

  /**
   * Allocates and attaches the masks (all-or-nothing: on an exception the graph is unchanged).
   *
   * @throws IllegalArgumentException as {@link #allocate(Graph, Targets, double)}
   */
  public static PruningResult prune(Graph graph, Targets targets, double sparsity) {
    Result r = allocate(graph, targets, sparsity);
    Masks.apply(graph, r.masks());
    SparsityReport report = SparsityReport.of(graph, r.masks().names());
    LOG.info("LAMP pruned {} parameter(s) at sparsity {}: {} of {} weights masked", r.masks().size(), sparsity,
        report.maskedZeros(), report.numel());
    return new PruningResult(r.masks(), report);
  }

  /** The value of rank {@code k} (1-based) from the top over all score arrays. */
  private static double kthLargest(List<double[]> scores, long total, long k) {
    double[] all = new double[Math.toIntExact(total)];
    int at = 0;
    for (double[] s : scores) {
      System.arraycopy(s, 0, all, at, s.length);
      at += s.length;
    }
    Arrays.sort(all);
    return all[Math.toIntExact(total - k)];
  }
}
