package org.prunekit.sparse;

import java.util.Objects;
import org.prunekit.core.graph.Parameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pruned fully connected layer {@code y = x W^T + b} (or a 1x1 convolution) executed from a
 * compressed weight.
 *
 * <p>Batch 1 runs a CSR dot-product loop per output row. Larger batches are transposed to
 * {@code [in, lanes]} so that every non-zero weight multiplies one vector of batch lanes; with the
 * Vector API (see {@link VectorSupport}) that is one FMA per non-zero and 8 or 16 lanes. Output
 * rows are split into ranges of equal work and run on a {@link WorkerTeam} (the calling thread plus
 * spinning workers; see there why not a {@code ForkJoinPool}).
 *
 * <p>Instances are immutable and {@code forward} may be called from several threads at once
 * (each calling thread keeps its own scratch buffers; a caller that finds the team busy runs its
 * rows alone).
 * If the layer created its own team, {@link #close()} stops it; a team passed with
 * {@link Builder#optTeam} is left alone.
 */
public final class SparseLinear implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparseLinear.class);

  /**
   * Row ranges per thread, claimed dynamically. Finer ranges shorten the tail where one thread
   * finishes the last range alone: 4096x4096 at 90%, batch 1, two threads, JMH medians of two-fork
   * runs: 433 µs with 4 ranges per thread, 332-404 µs with 16. System property {@code
   * prunekit.sparse.partsPerThread} (read once; docs/sparse.md has the measuring command).
   */
  static final int PARTS_PER_THREAD = Math.max(1, Integer.getInteger("prunekit.sparse.partsPerThread", 16));

  /**
   * Batches up to this size store results straight into {@code y}; larger ones go through a
   * lane-contiguous buffer and a blocked transpose (1024x1024 at 90%, batch 64, JMH median: 348-349
   * µs through the buffer against 462-510 µs storing straight into {@code y}). System property
   * {@code prunekit.sparse.directStoreMaxBatch} (read once; docs/sparse.md has the measuring command).
   */
  static final int DIRECT_STORE_MAX_BATCH = Integer.getInteger("prunekit.sparse.directStoreMaxBatch", 8);

  private final SparseWeights weights;
  private final float[] bias;
  private final KernelMode mode;
  private final int threads;
  private final WorkerTeam team;
  private final boolean ownsTeam;
  private final int[] parts;
  /** Per calling thread, the transposed input and output buffers, reused across calls. */
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  private SparseLinear(Builder b, SparseWeights w, KernelMode mode) {
    this.weights = w;
    this.bias = b.bias == null ? null : b.bias.clone();
    this.mode = mode;
    this.threads = b.team != null ? b.team.threads() : b.threads;
    this.ownsTeam = b.team == null && threads > 1;
    this.team = b.team != null ? b.team : (threads > 1 ? new WorkerTeam(threads) : null);
    this.parts = RowPartition.split(w, threads == 1 ? 1 : threads * PARTS_PER_THREAD);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Input features (columns of the weight). */
  public int inFeatures() {
    return weights.cols();
  }

  /** Output features (rows of the weight). */
  public int outFeatures() {
    return weights.rows();
  }

  /** The compressed weight. */
  public SparseWeights weights() {
    return weights;
  }

  /** The kernel family in use, {@link KernelMode#VECTOR} or {@link KernelMode#SCALAR}. */
  public KernelMode kernel() {
    return mode;
  }

  /** Threads the rows are split over. */
  public int threads() {
    return threads;
  }

  /**
   * {@code y = x W^T + b} for a batch.
   *
   * @param x {@code [batch, in]} row-major (at least {@code batch * in} values)
   * @param batch number of rows of {@code x}, positive
   * @param y {@code [batch, out]} row-major, overwritten
   * @throws IllegalArgumentException if the batch or an array length does not fit
   */
  public void forward(float[] x, int batch, float[] y) {
    int in = weights.cols();
    int out = weights.rows();
    check(x, y, batch, in, out, "forward");
    if (batch == 1) {
      run((r0, r1, acc) -> rows1(x, 0, y, 0, 1, r0, r1), 0);
      return;
    }
    int stride = stride(batch);
    Scratch sc = scratch.get();
    float[] xT = sc.xT(in * stride);
    Transposes.toLanes(x, batch, in, xT, stride);
    if (batch <= DIRECT_STORE_MAX_BATCH) {
      // Few lanes: each row's results go straight to y (batch lines, all reused by the next rows).
      run((r0, r1, acc) -> lanes(xT, stride, batch, y, 0, out, 1, r0, r1, acc), stride);
      return;
    }
    // Many lanes: rows are written lane-contiguous into yT and transposed per row range, since
    // storing straight to y touches one line per lane, 4 * out bytes apart, all in one L1 set.
    float[] yT = sc.yT(out * stride);
    run((r0, r1, acc) -> {
      lanes(xT, stride, batch, yT, 0, 1, stride, r0, r1, acc);
      Transposes.fromLanes(yT, stride, batch, y, out, r0, r1);
    }, stride);
  }

  /**
   * A 1x1 convolution on one sample: {@code y[o, p] = sum_i W[o, i] x[i, p] + b[o]}.
   *
   * @param x input, {@code [in, pixels]} row-major starting at {@code xOff}
   * @param xOff offset of the sample in {@code x}
   * @param pixels spatial positions per channel, positive
   * @param y output, {@code [out, pixels]} row-major starting at {@code yOff}, overwritten
   * @param yOff offset of the sample in {@code y}
   */
  public void forwardChannels(float[] x, int xOff, int pixels, float[] y, int yOff) {
    int in = weights.cols();
    int out = weights.rows();
    if (pixels <= 0 || xOff < 0 || yOff < 0 || x.length < xOff + (long) in * pixels
        || y.length < yOff + (long) out * pixels) {
      throw new IllegalArgumentException("forwardChannels: pixels " + pixels + " with in " + in + ", out " + out
          + " does not fit x[" + x.length + "] at " + xOff + " / y[" + y.length + "] at " + yOff);
    }
    if (pixels == 1) {
      float[] xs = x;
      int xo = xOff;
      if (xOff != 0 && weights instanceof CsrMatrix) {
        // The CSR batch-1 loop indexes x from 0: copy the sample into this thread's buffer.
        xs = scratch.get().xT(in);
        System.arraycopy(x, xOff, xs, 0, in);
        xo = 0;
      }
      float[] xsf = xs;
      int xof = xo;
      run((r0, r1, acc) -> rows1(xsf, xof, y, yOff, 1, r0, r1), 0);
      return;
    }
    int stride = stride(pixels);
    float[] xT;
    if (stride == pixels && xOff == 0 && x.length == in * pixels) {
      xT = x;
    } else {
      xT = scratch.get().xT(in * stride);
      for (int i = 0; i < in; i++) {
        System.arraycopy(x, xOff + i * pixels, xT, i * stride, pixels);
        java.util.Arrays.fill(xT, i * stride + pixels, (i + 1) * stride, 0f);
      }
    }
    run((r0, r1, acc) -> lanes(xT, stride, pixels, y, yOff, 1, pixels, r0, r1, acc), stride);
  }

  /** Stops the worker team if this layer created it. */
  @Override
  public void close() {
    if (ownsTeam) {
      team.close();
    }
  }

  private int stride(int lanes) {
    if (mode == KernelMode.SCALAR) {
      return lanes;
    }
    int narrow = VectorKernels.narrowLanes();
    if (lanes <= narrow) {
      return narrow;
    }
    int wide = VectorKernels.wideLanes();
    return (lanes + wide - 1) / wide * wide;
  }

  private void rows1(float[] x, int xOff, float[] y, int yOff, int yRowStride, int r0, int r1) {
    if (weights instanceof CsrMatrix c) {
      ScalarKernels.csrRows1(c, x, bias, y, yOff, yRowStride, r0, r1); // callers pass xOff == 0 for CSR
    } else {
      ScalarKernels.nmRows1((NmMatrix) weights, x, xOff, bias, y, yOff, yRowStride, r0, r1);
    }
  }

  private void lanes(float[] xT, int stride, int lanes, float[] y, int yOff, int yLaneStride, int yRowStride,
      int r0, int r1, float[] acc) {
    if (mode == KernelMode.SCALAR) {
      if (weights instanceof CsrMatrix c) {
        ScalarKernels.csrLanes(c, xT, stride, lanes, bias, y, yOff, yLaneStride, yRowStride, r0, r1, acc);
      } else {
        ScalarKernels.nmLanes((NmMatrix) weights, xT, stride, lanes, bias, y, yOff, yLaneStride, yRowStride, r0, r1, acc);
      }
      return;
    }
    boolean narrow = stride == VectorKernels.narrowLanes();
    if (weights instanceof CsrMatrix c) {
      if (narrow) {
        VectorKernels.csrLanesNarrow(c, xT, stride, lanes, bias, y, yOff, yLaneStride, yRowStride, r0, r1, acc);
      } else {
        VectorKernels.csrLanesWide(c, xT, stride, lanes, bias, y, yOff, yLaneStride, yRowStride, r0, r1, acc);
      }
    } else {
      NmMatrix nm = (NmMatrix) weights;
      if (narrow) {
        VectorKernels.nmLanesNarrow(nm, xT, stride, lanes, bias, y, yOff, yLaneStride, yRowStride, r0, r1, acc);
      } else {
        VectorKernels.nmLanesWide(nm, xT, stride, lanes, bias, y, yOff, yLaneStride, yRowStride, r0, r1, acc);
      }
    }
  }

  /**
   * The lane-major buffers of one calling thread. Reused because a fresh 0.25-3 MB array per call
   * lands on heap pages the process has not touched yet, and on the reference machine (a VM) those
   * page faults cost more than the product: a 1024x1024 layer at 90%, batch 64, two threads took
   * 2.0-2.6 ms per call with fresh buffers and the default heap, 0.27-0.43 ms with a pre-touched
   * heap (median of 1,200 calls). Grown on demand, never shrunk; not zeroed (every read lane is
   * written first; padding lanes are zeroed by the transposes).
   */
  private static final class Scratch {
    private float[] xT = new float[0];
    private float[] yT = new float[0];

    float[] xT(int n) {
      if (xT.length < n) {
        xT = new float[n];
      }
      return xT;
    }

    float[] yT(int n) {
      if (yT.length < n) {
        yT = new float[n];
      }
      return yT;
    }
  }

  /** A kernel over rows {@code r0..r1} with a scratch accumulator of {@code stride} floats. */
  @FunctionalInterface
  private interface RowKernel {
    void run(int r0, int r1, float[] acc);
  }

  private void run(RowKernel k, int stride) {
    if (team == null || parts.length <= 2) {
      k.run(0, weights.rows(), new float[stride]);
      return;
    }
    team.run(parts.length - 1, i -> k.run(parts[i], parts[i + 1], new float[stride]));
  }

  private static void check(float[] x, float[] y, int batch, int in, int out, String what) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (batch <= 0) {
      throw new IllegalArgumentException(what + ": batch must be positive, got " + batch);
    }
    if (x.length < (long) batch * in) {
      throw new IllegalArgumentException(what + ": x holds " + x.length + " values, [batch " + batch + ", in " + in
          + "] needs " + (long) batch * in);
    }
    if (y.length < (long) batch * out) {
      throw new IllegalArgumentException(what + ": y holds " + y.length + " values, [batch " + batch + ", out " + out
          + "] needs " + (long) batch * out);
    }
  }

  /** Builds a {@link SparseLinear} from a masked parameter or a prebuilt {@link SparseWeights}. */
  public static final class Builder {
    private Parameter weightParam;
    private SparseWeights prebuilt;
    private float[] bias;
    private SparseFormat format = SparseFormat.CSR;
    private int nmN = 2;
    private int nmM = 4;
    private int threads = 1;
    private WorkerTeam team;
    private KernelMode kernel = KernelMode.AUTO;

    private Builder() {}

    /**
     * The weight: a Linear weight {@code [out, in]} or a 1x1 convolution weight
     * {@code [out, in, 1, ...]}; its mask (if any) decides which elements are kept.
     */
    public Builder setWeight(Parameter weight) {
      this.weightParam = Objects.requireNonNull(weight, "weight");
      this.prebuilt = null;
      return this;
    }

    /** A weight that is already compressed (instead of {@link #setWeight}). */
    public Builder setWeights(SparseWeights weights) {
      this.prebuilt = Objects.requireNonNull(weights, "weights");
      this.weightParam = null;
      return this;
    }

    /** The bias parameter, {@code [out]} (default: none). */
    public Builder optBias(Parameter biasParam) {
      this.bias = biasParam == null ? null : biasParam.value().data().clone();
      return this;
    }

    /** The bias values, {@code [out]} (default: none). */
    public Builder optBias(float[] values) {
      this.bias = values == null ? null : values.clone();
      return this;
    }

    /** CSR (default). */
    public Builder optCsr() {
      this.format = SparseFormat.CSR;
      return this;
    }

    /** N:M storage, e.g. {@code optNm(2, 4)}; the mask must follow the pattern. */
    public Builder optNm(int n, int m) {
      this.format = SparseFormat.NM;
      this.nmN = n;
      this.nmM = m;
      return this;
    }

    /** Threads to split output rows over (default 1); a team of this size is created and owned. */
    public Builder optThreads(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + count);
      }
      this.threads = count;
      return this;
    }

    /** A caller-owned team to run on (its size is the thread count); not closed by {@link #close()}. */
    public Builder optTeam(WorkerTeam workerTeam) {
      this.team = workerTeam;
      return this;
    }

    /** Kernel family (default {@link KernelMode#AUTO}). */
    public Builder optKernel(KernelMode mode) {
      this.kernel = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Validates, compresses and builds.
     *
     * @throws IllegalArgumentException naming the parameter whose shape, mask or bias does not fit
     * @throws IllegalStateException if {@link KernelMode#VECTOR} is asked for without the Vector API
     */
    public SparseLinear build() {
      KernelMode mode = VectorSupport.resolve(kernel);
      SparseWeights w = prebuilt != null ? prebuilt : compress();
      if (w == null) {
        throw new IllegalArgumentException("SparseLinear needs setWeight(...) or setWeights(...)");
      }
      if (bias != null && bias.length != w.rows()) {
        throw new IllegalArgumentException("bias has " + bias.length + " values, the weight has " + w.rows() + " rows"
            + (weightParam != null ? " (" + weightParam.qualifiedName() + ")" : ""));
      }
      SparseLinear l = new SparseLinear(this, w, mode);
      LOG.debug("sparse linear {}: {} kernels, {} thread(s)", w, mode, l.threads);
      return l;
    }

    private SparseWeights compress() {
      if (weightParam == null) {
        return null;
      }
      int[] d = weightParam.shape().dims();
      for (int i = 2; i < d.length; i++) {
        if (d[i] != 1) {
          throw new IllegalArgumentException("parameter '" + weightParam.qualifiedName() + "' has shape "
              + weightParam.shape() + ": only [out, in] or 1x1 convolution weights can be made sparse");
        }
      }
      if (d.length < 2) {
        throw new IllegalArgumentException("parameter '" + weightParam.qualifiedName() + "' has shape "
            + weightParam.shape() + ", expected [out, in]");
      }
      float[] v = weightParam.value().data();
      float[] m = weightParam.hasMask() ? weightParam.mask().data() : null;
      try {
        return format == SparseFormat.CSR ? CsrMatrix.fromDense(v, m, d[0], d[1])
            : NmMatrix.fromDense(v, m, d[0], d[1], nmN, nmM);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("parameter '" + weightParam.qualifiedName() + "': " + e.getMessage(), e);
      }
    }
  }
}
