package org.prunekit.criteria.select;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ThresholdMode;

/**
 * Turns score tensors into 0/1 masks (1 = keep) for a sparsity, a {@link Scope} and a {@link
 * ThresholdMode}; lower scores are pruned first.
 *
 * <p>In a group of {@code n} scores (a tensor, a row, or all targets) {@code k = floor(s * n)}
 * (computed in {@code double}, bit-exactly like Python's {@code int(n * s)}). {@link
 * ThresholdMode#EXACT} prunes exactly the {@code k} lowest scores, ties in stable ascending order
 * (lower index first; globally, earlier tensors first). {@link ThresholdMode#REFERENCE} prunes
 * every score {@code <=} the value at sorted position {@code k}. Selection uses a histogram (radix)
 * select on the scores' order-preserving integer keys per tensor or row (rows of large tensors in
 * parallel, with results independent of the thread count) and globally, never a full sort and
 * never a copy of the scores. Scores must not be NaN.
 */
public final class MaskSelector {
  /** Tensors with at least this many scores select their rows in parallel. */
  static final int PARALLEL_MIN = 1 << 16;

  /** Scores per parallel task (whole rows; at least one row). */
  private static final int BLOCK_ELEMENTS = 1 << 18;

  private MaskSelector() {}

  /**
   * Checks a target sparsity.
   *
   * @throws IllegalArgumentException naming the value unless {@code 0 <= sparsity < 1}
   */
  public static double requireSparsity(double sparsity) {
    if (!(sparsity >= 0 && sparsity < 1)) {
      throw new IllegalArgumentException("sparsity must be in [0, 1) (fraction of weights pruned), got " + sparsity);
    }
    return sparsity;
  }

  /** {@code floor(sparsity * n)}, the number pruned in a group of {@code n}. */
  public static long prunedCount(long n, double sparsity) {
    return (long) Math.floor(sparsity * n);
  }

  /**
   * Masks for every score tensor, keyed like {@code scores} (qualified parameter names).
   *
   * @param scores score tensors in target order (the order breaks global ties)
   * @throws IllegalArgumentException for an invalid sparsity or a NaN score (naming tensor and index)
   */
  public static MaskSet select(Map<String, ? extends TensorData> scores, double sparsity, Scope scope,
      ThresholdMode mode) {
    requireSparsity(sparsity);
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(mode, "mode");
    LinkedHashMap<String, Tensor> masks = new LinkedHashMap<>();
    if (scope == Scope.GLOBAL) {
      Map<String, float[]> values = new LinkedHashMap<>();
      for (Map.Entry<String, ? extends TensorData> e : scores.entrySet()) {
        float[] v = e.getValue().toFloatArray();
        requireNoNaN(e.getKey(), e.getValue().shape(), v);
        values.put(e.getKey(), v);
      }
      List<float[]> all = new ArrayList<>(values.values());
      List<float[]> keep = globalMasks(all, sparsity, mode);
      int i = 0;
      for (Map.Entry<String, ? extends TensorData> e : scores.entrySet()) {
        masks.put(e.getKey(), new Tensor(e.getValue().shape(), keep.get(i++)));
      }
    } else {
      // NaN is detected inside the selection passes; nothing outside this method sees a partial result.
      for (Map.Entry<String, ? extends TensorData> e : scores.entrySet()) {
        masks.put(e.getKey(), mask(e.getKey(), e.getValue(), sparsity, scope, mode));
      }
    }
    // The masks were built here and hold only 0 and 1: hand them over without a copy or a re-check.
    return MaskSet.adoptTrusted(masks);
  }

  /** The mask of one tensor with {@link Scope#LAYER}. */
  public static Tensor layerMask(TensorData scores, double sparsity, ThresholdMode mode) {
    requireSparsity(sparsity);
    return mask("scores", scores, sparsity, Scope.LAYER, Objects.requireNonNull(mode, "mode"));
  }

  /**
   * The mask of one tensor with {@link Scope#ROW}: every output row (first dimension, the rest
   * flattened) prunes {@code floor(s * rowLength)}.
   */
  public static Tensor rowMask(TensorData scores, double sparsity, ThresholdMode mode) {
    requireSparsity(sparsity);
    return mask("scores", scores, sparsity, Scope.ROW, Objects.requireNonNull(mode, "mode"));
  }

  /**
   * A structured mask that zeroes whole output rows: the {@code floor(s * rows)} rows with the
   * lowest {@code rowScores} (ties: lower row first) are pruned entirely.
   *
   * @param shape the parameter's shape (first dimension = rows)
   * @param rowScores one score per row, e.g. from {@code RowNorms}
   * @throws IllegalArgumentException if the counts differ, a score is NaN or the sparsity is invalid
   */
  public static Tensor structuredRowMask(Shape shape, double[] rowScores, double sparsity) {
    requireSparsity(sparsity);
    int rows = shape.rank() == 0 ? 1 : shape.get(0);
    if (rowScores.length != rows) {
      throw new IllegalArgumentException("got " + rowScores.length + " row scores for shape " + shape + " with "
          + rows + " rows");
    }
    for (int r = 0; r < rows; r++) {
      if (Double.isNaN(rowScores[r])) {
        throw new IllegalArgumentException("row score " + r + " is NaN");
      }
    }
    // Rows are few (output channels), so a stable sort of row indices by their double scores is cheap.
    Integer[] order = new Integer[rows];
    for (int r = 0; r < rows; r++) {
      order[r] = r;
    }
    Arrays.sort(order, (x, y) -> {
      int c = Double.compare(rowScores[x] + 0.0, rowScores[y] + 0.0);
      return c != 0 ? c : Integer.compare(x, y);
    });
    int k = (int) prunedCount(rows, sparsity);
    float[] m = new float[Math.toIntExact(shape.size())];
    Arrays.fill(m, 1f);
    int width = rows == 0 ? 0 : m.length / rows;
    for (int i = 0; i < k; i++) {
      int r = order[i];
      Arrays.fill(m, r * width, (r + 1) * width, 0f);
    }
    return new Tensor(shape, m);
  }

  private static void requireNoNaN(String name, Shape shape, float[] v) {
    for (int i = 0; i < v.length; i++) {
      if (Float.isNaN(v[i])) {
        throw new IllegalArgumentException("score for '" + name + "' is NaN at index " + i + " (shape " + shape
            + "); cannot rank NaN scores");
      }
    }
  }

  /** The LAYER or ROW mask of one tensor; a NaN score throws, naming {@code name} and its first index. */
  private static Tensor mask(String name, TensorData scores, double sparsity, Scope scope, ThresholdMode mode) {
    float[] v = scores.toFloatArray();
    Shape s = scores.shape();
    float[] m = scope == Scope.LAYER ? layer(v, sparsity, mode) : rows(v, s, sparsity, mode, v.length >= PARALLEL_MIN);
    if (m == null) {
      requireNoNaN(name, s, v);
      throw new IllegalStateException("selection reported a NaN score in '" + name + "' but none was found");
    }
    return new Tensor(s, m);
  }

  /** The LAYER keep mask of {@code v}, or null if it holds a NaN. */
  static float[] layer(float[] v, double sparsity, ThresholdMode mode) {
    float[] m = new float[v.length];
    int k = (int) prunedCount(v.length, sparsity);
    return new RadixSelect(0).mask(v, 0, v.length, k, mode == ThresholdMode.EXACT, m) ? m : null;
  }

  /**
   * The ROW keep mask of {@code v} (rows = first dimension of {@code s}), or null if it holds a NaN.
   * With {@code parallel}, blocks of rows run on the common fork-join pool; every row is computed
   * the same way on any thread, so the result does not depend on the thread count.
   */
  static float[] rows(float[] v, Shape s, double sparsity, ThresholdMode mode, boolean parallel) {
    int rows = s.rank() == 0 ? 1 : s.get(0);
    float[] m = new float[v.length];
    if (rows == 0 || v.length == 0) {
      return m;
    }
    int width = v.length / rows;
    int k = (int) prunedCount(width, sparsity);
    boolean exact = mode == ThresholdMode.EXACT;
    int blockRows = Math.max(1, BLOCK_ELEMENTS / width);
    int blocks = (rows + blockRows - 1) / blockRows;
    if (!parallel || blocks == 1) {
      return rowBlock(v, m, 0, rows, width, k, exact) ? m : null;
    }
    boolean clean = IntStream.range(0, blocks).parallel()
        .allMatch(b -> rowBlock(v, m, b * blockRows, Math.min(rows, (b + 1) * blockRows), width, k, exact));
    return clean ? m : null;
  }

  private static boolean rowBlock(float[] v, float[] m, int rowFrom, int rowTo, int width, int k, boolean exact) {
    RadixSelect sel = new RadixSelect(width);
    for (int r = rowFrom; r < rowTo; r++) {
      if (!sel.mask(v, r * width, (r + 1) * width, k, exact, m)) {
        return false;
      }
    }
    return true;
  }

  private static List<float[]> globalMasks(List<float[]> all, double sparsity, ThresholdMode mode) {
    long total = 0;
    for (float[] a : all) {
      total += a.length;
    }
    long k = prunedCount(total, sparsity);
    List<float[]> masks = new ArrayList<>();
    for (float[] a : all) {
      float[] m = new float[a.length];
      Arrays.fill(m, 1f);
      masks.add(m);
    }
    if (total == 0 || (mode == ThresholdMode.EXACT && k == 0)) {
      return masks;
    }
    if (mode == ThresholdMode.REFERENCE) {
      float t = Selection.kthSmallest(all, k);
      for (int j = 0; j < all.size(); j++) {
        float[] a = all.get(j);
        float[] m = masks.get(j);
        for (int i = 0; i < a.length; i++) {
          if (a[i] <= t) {
            m[i] = 0f;
          }
        }
      }
      return masks;
    }
    float t = Selection.kthSmallest(all, k - 1);
    long less = 0;
    for (float[] a : all) {
      for (float x : a) {
        if (x < t) {
          less++;
        }
      }
    }
    long ties = k - less;
    for (int j = 0; j < all.size(); j++) {
      float[] a = all.get(j);
      float[] m = masks.get(j);
      for (int i = 0; i < a.length; i++) {
        float x = a[i];
        if (x < t) {
          m[i] = 0f;
        } else if (x == t && ties > 0) {
          m[i] = 0f;
          ties--;
        }
      }
    }
    return masks;
  }
}
