package org.prunekit.criteria.select;

import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.ByteMask;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ThresholdMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-row ({@link Scope#ROW}) masks of scores of the form {@code S_ij = |W_ij| * c_j} (magnitude:
 * {@code c = 1}; Wanda: {@code c_j = ||X_j||_2}) computed without materialising the score tensor:
 * each row is scored into a small reusable buffer, selected and its mask written, rows in parallel
 * blocks. The result is bit for bit the one of {@link MaskSelector#rowMask} on the scores
 * ({@code floor(s * cols)} per row; EXACT ties lower column first, REFERENCE prunes every score
 * {@code <=} the one at sorted position {@code k}; {@code -0.0 == 0.0}), for any thread count.
 *
 * <p>With {@code jdk.incubator.vector} in the boot layer (start the JVM with {@code --add-modules
 * jdk.incubator.vector}) rows run through a Vector API kernel; otherwise (or with the system
 * property {@code prunekit.criteria.vector=false}) through a scalar kernel that scores the row into
 * the buffer and selects it with the histogram selector. Both give the same masks.
 */
public final class FusedRowSelect {
  private static final Logger LOG = LoggerFactory.getLogger(FusedRowSelect.class);
  private static final boolean VECTOR = detect();

  /** Tensors with at least this many weights run their rows in parallel. */
  static final int PARALLEL_MIN = 1 << 16;

  private FusedRowSelect() {}

  /** One row at a time; an instance is used by one thread. */
  interface RowKernel {
    /** Writes row {@code w[base, base + cols)}'s mask into {@code m}; false if a score is NaN. */
    boolean row(float[] w, float[] scale, int base, int k, boolean exact, float[] m);

    /** As {@link #row}, into a byte mask (1 = keep). */
    boolean rowBytes(float[] w, float[] scale, int base, int k, boolean exact, byte[] m);
  }

  /** One row of one output: a float or a byte mask. */
  @FunctionalInterface
  private interface RowCall {
    boolean run(RowKernel kernel, int row);
  }

  /** True if the Vector API kernel is used in this JVM. */
  public static boolean vectorized() {
    return VECTOR;
  }

  /**
   * The ROW keep mask (1 = keep) of {@code S_ij = |W_ij| * columnScales[j]}, rows = first
   * dimension of the weight, columns = the rest flattened.
   *
   * @param name the parameter's name (for messages)
   * @param weight the weight (not modified)
   * @param columnScales one non-negative factor per column, or null for plain magnitude
   * @param sparsity fraction pruned per row, in {@code [0, 1)}
   * @param mode exact count or reference threshold
   * @throws IllegalArgumentException for an invalid sparsity, a scale that is negative or NaN or of
   *     the wrong length, or a NaN score (naming the parameter and the first index)
   */
  public static Tensor rowMask(String name, TensorData weight, float[] columnScales, double sparsity,
      ThresholdMode mode) {
    return rowMask(name, weight, columnScales, sparsity, mode, VECTOR, true);
  }

  static Tensor rowMask(String name, TensorData weight, float[] columnScales, double sparsity, ThresholdMode mode,
      boolean vector, boolean parallel) {
    Layer l = Layer.of(name, weight, columnScales, sparsity, mode, vector, parallel);
    float[] m = new float[l.w.length];
    l.select((kernel, r) -> kernel.row(l.w, l.scale, r * l.cols, l.k, l.exact, m));
    return new Tensor(l.shape, m);
  }

  /**
   * As {@link #rowMask}, into a {@link ByteMask} (one byte per weight, 1 = keep): the same mask at
   * a quarter of the memory traffic (a 4096 x 11008 float mask is 180 MB, the byte mask 45 MB).
   *
   * @throws IllegalArgumentException as {@link #rowMask}
   */
  public static ByteMask rowMaskBytes(String name, TensorData weight, float[] columnScales, double sparsity,
      ThresholdMode mode) {
    return rowMaskBytes(name, weight, columnScales, sparsity, mode, VECTOR, true);
  }

  static ByteMask rowMaskBytes(String name, TensorData weight, float[] columnScales, double sparsity,
      ThresholdMode mode, boolean vector, boolean parallel) {
    Layer l = Layer.of(name, weight, columnScales, sparsity, mode, vector, parallel);
    byte[] m = new byte[l.w.length];
    l.select((kernel, r) -> kernel.rowBytes(l.w, l.scale, r * l.cols, l.k, l.exact, m));
    return ByteMask.wrap(l.shape, m);
  }

  /** One validated selection: the weight as rows x columns, its checked scales and the per-row count. */
  private record Layer(String name, Shape shape, float[] w, int rows, int cols, float[] scale, int k, boolean exact,
      boolean vector, boolean parallel) {

    static Layer of(String name, TensorData weight, float[] columnScales, double sparsity, ThresholdMode mode,
        boolean vector, boolean parallel) {
      MaskSelector.requireSparsity(sparsity);
      Objects.requireNonNull(mode, "mode");
      Shape shape = weight.shape();
      float[] w = weight.toFloatArray();
      int rows = shape.rank() == 0 ? 1 : shape.get(0);
      int cols = rows == 0 ? 0 : w.length / rows;
      float[] scale = columnScales == null ? null : checkedScales(name, columnScales, cols);
      int k = (int) MaskSelector.prunedCount(cols, sparsity);
      return new Layer(name, shape, w, rows, cols, scale, k, mode == ThresholdMode.EXACT, vector && VECTOR,
          parallel && w.length >= PARALLEL_MIN);
    }

    /** Runs every row through {@code call}; throws naming the first NaN score if a row saw one. */
    void select(RowCall call) {
      if (rows > 0 && cols > 0 && !runRows(rows, cols, vector, parallel, call)) {
        throw nanScore(name, shape, w, scale, cols);
      }
    }
  }

  private static float[] checkedScales(String name, float[] c, int cols) {
    if (c.length != cols) {
      throw new IllegalArgumentException("got " + c.length + " column scales for '" + name + "' with " + cols
          + " columns");
    }
    float[] out = new float[cols];
    for (int j = 0; j < cols; j++) {
      if (!(c[j] >= 0)) {
        throw new IllegalArgumentException("column scale " + j + " of '" + name + "' is " + c[j] + "; must be >= 0");
      }
      out[j] = c[j] + 0.0f; // -0.0 -> 0.0
    }
    return out;
  }

  /** Runs every row in blocks (one kernel per block), in parallel if asked; false if a row saw a NaN. */
  private static boolean runRows(int rows, int cols, boolean vector, boolean parallel, RowCall call) {
    int blocks = parallel ? Math.min(rows, 4 * (ForkJoinPool.getCommonPoolParallelism() + 1)) : 1;
    int blockRows = (rows + blocks - 1) / blocks;
    int nBlocks = (rows + blockRows - 1) / blockRows;
    if (nBlocks == 1) {
      return block(call, 0, rows, cols, vector);
    }
    return IntStream.range(0, nBlocks).parallel()
        .allMatch(b -> block(call, b * blockRows, Math.min(rows, (b + 1) * blockRows), cols, vector));
  }

  private static boolean block(RowCall call, int rowFrom, int rowTo, int cols, boolean vector) {
    RowKernel kernel = vector ? new VectorRowSelect(cols) : new ScalarRowSelect(cols);
    for (int r = rowFrom; r < rowTo; r++) {
      if (!call.run(kernel, r)) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException nanScore(String name, Shape shape, float[] w, float[] scale, int cols) {
    for (int i = 0; i < w.length; i++) {
      float s = Math.abs(w[i]) * (scale == null ? 1f : scale[i % cols]);
      if (Float.isNaN(s)) {
        return new IllegalArgumentException("score for '" + name + "' is NaN at index " + i + " (shape " + shape
            + "); cannot rank NaN scores");
      }
    }
    return new IllegalArgumentException("selection reported a NaN score in '" + name + "' but none was found");
  }

  /** The scalar kernel: score the row into a buffer, select it with {@link RadixSelect}. */
  static final class ScalarRowSelect implements RowKernel {
    private final float[] buf;
    private final float[] rowMask;
    private final RadixSelect radix;

    ScalarRowSelect(int cols) {
      buf = new float[cols];
      rowMask = new float[cols];
      radix = new RadixSelect(cols);
    }

    @Override
    public boolean row(float[] w, float[] scale, int base, int k, boolean exact, float[] m) {
      if (!select(w, scale, base, k, exact)) {
        return false;
      }
      System.arraycopy(rowMask, 0, m, base, buf.length);
      return true;
    }

    @Override
    public boolean rowBytes(float[] w, float[] scale, int base, int k, boolean exact, byte[] m) {
      if (!select(w, scale, base, k, exact)) {
        return false;
      }
      for (int j = 0; j < buf.length; j++) {
        m[base + j] = (byte) (int) rowMask[j];
      }
      return true;
    }

    /** Scores the row into the buffer and leaves its mask in {@code rowMask}; false on a NaN. */
    private boolean select(float[] w, float[] scale, int base, int k, boolean exact) {
      int cols = buf.length;
      if (scale == null) {
        for (int j = 0; j < cols; j++) {
          buf[j] = Math.abs(w[base + j]);
        }
      } else {
        for (int j = 0; j < cols; j++) {
          buf[j] = Math.abs(w[base + j]) * scale[j];
        }
      }
      return radix.mask(buf, 0, cols, k, exact, rowMask);
    }
  }

  private static boolean detect() {
    if ("false".equalsIgnoreCase(System.getProperty("prunekit.criteria.vector"))) {
      LOG.info("fused row selection: Vector API disabled by prunekit.criteria.vector=false, scalar kernel");
      return false;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      LOG.debug("fused row selection: jdk.incubator.vector not in the boot layer, scalar kernel");
      return false;
    }
    try {
      int lanes = VectorRowSelect.lanes();
      LOG.debug("fused row selection: Vector API with {} float lanes", lanes);
      return lanes >= 4;
    } catch (LinkageError e) {
      LOG.info("fused row selection: Vector API failed to load ({}), scalar kernel", e.toString());
      return false;
    }
  }
}
