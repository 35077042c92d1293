package org.prunekit.core.mask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches, re-applies, bakes and removes parameter masks on a {@link Graph}.
 *
 * <p>{@link #apply} is all-or-nothing: it validates every mask and every weight it would touch
 * before it changes any parameter, so on an exception the graph is exactly as it was.
 */
public final class Masks {
  private static final Logger LOG = LoggerFactory.getLogger(Masks.class);

  private Masks() {}

  /**
   * Attaches every mask of {@code masks} to its parameter and zeroes the pruned weights. The masks
   * stay attached (training code re-applies them with {@link #reapply}, so pruned weights cannot
   * regrow). A mask replaces any mask the parameter already had; combine them first with {@link
   * MaskSet#and} to keep earlier pruning.
   *
   * <p>Validation, all before any change: every name is a parameter of {@code graph}, every shape
   * matches, and every weight of a masked parameter is finite. A mask that prunes every row of a
   * parameter is allowed (unstructured pruning may do so) but logged as a warning and flagged in
   * the returned report ({@link SparsityReport.Entry#emptied()}).
   *
   * @return the sparsity of the masked parameters after application
   * @throws IllegalArgumentException naming the parameter (and element index) at fault; the graph
   *     is then unchanged
   */
  public static SparsityReport apply(Graph graph, MaskSet masks) {
    masks.validateAgainst(graph);
    List<Parameter> params = new ArrayList<>();
    for (String name : masks.names()) {
      Parameter p = MaskSet.find(graph, name);
      requireFinite(p);
      params.add(p);
    }
    for (Parameter p : params) {
      p.setMask(masks.internal(p.qualifiedName()).copy());
      p.applyMask();
    }
    List<SparsityReport.Entry> entries = new ArrayList<>();
    for (Parameter p : params) {
      SparsityReport.Entry e = SparsityReport.Entry.of(p);
      if (e.emptied()) {
        LOG.warn("mask on '{}' prunes every one of its {} rows: the layer's output no longer depends on its input",
            e.name(), e.rows());
      }
      entries.add(e);
    }
    return new SparsityReport(entries);
  }

  /**
   * Checks that every value of {@code p} is finite.
   *
   * @throws IllegalArgumentException naming the parameter, flat index and multi-index of the first
   *     NaN or infinite value
   */
  public static void requireFinite(Parameter p) {
    Tensor v = p.value();
    int i = v.firstNonFinite();
    if (i >= 0) {
      throw new IllegalArgumentException("parameter '" + p.qualifiedName() + "' holds " + v.data()[i]
          + " at index " + i + " " + multiIndex(p.shape(), i) + "; cannot prune non-finite weights");
    }
  }

  /** The multi-index of flat row-major index {@code flat} in {@code shape}, e.g. {@code [1, 2]}. */
  public static String multiIndex(Shape shape, long flat) {
    int[] d = shape.dims();
    long[] idx = new long[d.length];
    long rest = flat;
    for (int a = d.length - 1; a >= 0; a--) {
      idx[a] = rest % d[a];
      rest /= d[a];
    }
    return java.util.Arrays.toString(idx);
  }

  /**
   * Zeroes again every weight whose attached mask is 0, e.g. after an optimizer step.
   *
   * @return the number of masked parameters
   */
  public static int reapply(Graph graph) {
    int n = 0;
    for (Parameter p : graph.parameters()) {
      if (p.hasMask()) {
        p.applyMask();
        n++;
      }
    }
    return n;
  }

  /**
   * Makes the pruning permanent: zeroes every masked weight and detaches the masks.
   *
   * @return the masks that were baked
   */
  public static MaskSet bake(Graph graph) {
    LinkedHashMap<String, Tensor> removed = new LinkedHashMap<>();
    for (Parameter p : graph.parameters()) {
      if (p.hasMask()) {
        p.applyMask();
        removed.put(p.qualifiedName(), p.mask());
        p.setMask(null);
      }
    }
    return MaskSet.of(removed);
  }

  /**
   * Detaches every mask without touching the values (weights zeroed earlier stay zero, but may
   * regrow in training).
   *
   * @return the masks that were removed
   */
  public static MaskSet remove(Graph graph) {
    LinkedHashMap<String, Tensor> removed = new LinkedHashMap<>();
    for (Parameter p : graph.parameters()) {
      if (p.hasMask()) {
        removed.put(p.qualifiedName(), p.mask());
        p.setMask(null);
      }
    }
    return MaskSet.of(removed);
  }

  /** The masks currently attached to {@code graph} (copies). */
  public static MaskSet current(Graph graph) {
    return MaskSet.attachedTo(graph);
  }
}
