package org.prunekit.criteria.pattern;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.select.Selection;

/**
 * Turns score tensors into N:M masks (1 = keep): in each row (first dimension; the rest flattened)
 * every block of {@code groupM} consecutive columns prunes exactly its {@code groupM - keepN}
 * lowest scores; among equal scores the lower column index is pruned first (a stable ascending
 * order, as the Wanda/RIA references intend). Uses selection per block, not a sort.
 */
public final class NmSelector {
  private NmSelector() {}

  /**
   * N:M masks for every score tensor, keyed like {@code scores}.
   *
   * @throws IllegalArgumentException naming the tensor if its width is not a multiple of {@code
   *     groupM} or a score is NaN; nothing is returned then
   */
  public static MaskSet select(Map<String, ? extends TensorData> scores, NmPattern pattern) {
    for (Map.Entry<String, ? extends TensorData> e : scores.entrySet()) {
      pattern.requireDivides(e.getKey(), width(e.getValue().shape()));
    }
    Map<String, Tensor> masks = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends TensorData> e : scores.entrySet()) {
      masks.put(e.getKey(), mask(e.getKey(), e.getValue(), pattern));
    }
    return MaskSet.of(masks);
  }

  /**
   * The N:M mask of one score tensor.
   *
   * @param name the parameter name, for messages
   * @throws IllegalArgumentException naming the parameter if its width is not a multiple of {@code
   *     groupM} or a score is NaN
   */
  public static Tensor mask(String name, TensorData scores, NmPattern pattern) {
    Shape shape = scores.shape();
    int width = width(shape);
    pattern.requireDivides(name, width);
    float[] v = scores.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      if (Float.isNaN(v[i])) {
        throw new IllegalArgumentException("score for '" + name + "' is NaN at index " + i + " (shape " + shape
            + "); cannot rank NaN scores");
      }
    }
    int m = pattern.groupM();
    int k = pattern.prunedN();
    float[] out = new float[v.length];
    float[] scratch = new float[m];
    for (int from = 0; from < v.length; from += m) {
      pruneLowest(v, from, from + m, k, out, scratch);
    }
    return new Tensor(shape, out);
  }

  private static int width(Shape s) {
    int rows = s.rank() == 0 ? 1 : s.get(0);
    return rows == 0 ? 0 : Math.toIntExact(s.size() / rows);
  }

  /** Writes the keep mask of {@code v[from, to)} pruning exactly its {@code k} lowest (stable). */
  private static void pruneLowest(float[] v, int from, int to, int k, float[] out, float[] scratch) {
    int n = to - from;
    System.arraycopy(v, from, scratch, 0, n);
    float t = Selection.kthSmallest(scratch, 0, n, k - 1);
    int ties = k;
    for (int i = from; i < to; i++) {
      if (v[i] < t) {
        ties--;
      }
    }
    for (int i = from; i < to; i++) {
      float x = v[i];
      if (x < t || (x == t && ties-- > 0)) {
        out[i] = 0f;
      } else {
        out[i] = 1f;
      }
    }
  }
}
