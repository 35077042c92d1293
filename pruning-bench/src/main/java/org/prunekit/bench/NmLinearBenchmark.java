package org.prunekit.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.sparse.SparseLinear;

/*
 * WHAT THIS MEASURES
 *
 * One Linear layer y = x W^T (4096 in, 4096 out, no bias) whose weight follows an N:M pattern
 * (every group of M consecutive input columns of a row keeps N values, the kept ones drawn at random),
 * three ways in the same JMH run:
 *   nm        - SparseLinear with the fixed-slot N:M layout (NmMatrix: N float values and N one-byte
 *               positions per group, no row pointers), 2 threads;
 *   csr       - SparseLinear with CSR (16-bit column indices) on the same masked weight, 2 threads;
 *   djlDense  - DJL PyTorch matMul on the same masked weight (the dense engine multiplies the zeros).
 * Patterns: 2:4 (50 %, the hardware-supported one on GPUs), 1:4 (75 %) and 2:8 (75 %).
 *
 * WHY
 *
 * N:M is what SparseGPT / Wanda / RIA produce for semi-structured speed-ups. On a CPU without sparse
 * tensor cores the question is whether the regular layout (no row pointers, one byte per index, every
 * row the same length so threads are balanced) beats CSR at the same sparsity, and at which sparsity
 * either beats the dense engine. Counters: none needed beyond the pattern; the kept fraction is N/M.
 *
 * HOW TO RUN
 *
 *   java -jar pruning-bench/target/benchmarks.jar NmLinearBenchmark -rf json -rff nm.json
 * (the forks add --add-modules jdk.incubator.vector themselves). Results: docs/sparse.md.
 */

/** JMH benchmark: N:M-sparse Linear layer on the N:M and CSR kernels versus dense DJL PyTorch. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
    "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Xmx4g"})
@Threads(1)
public class NmLinearBenchmark {
  /** Input and output width of the layer. */
  static final int DIM = 4096;

  /** The layer: pattern, batch, masked weights, input and both sparse layers. */
  @State(Scope.Benchmark)
  public static class Layer {
    /** {@code N:M}: N kept of every M consecutive inputs. */
    @Param({"2:4", "1:4", "2:8"})
    public String pattern;

    /** Rows of x. */
    @Param({"1", "8", "64"})
    public int batch;

    /** Layer width (tests use a smaller one). */
    int dim = DIM;
    float[] x;
    float[] y;
    SparseLinear nm;
    SparseLinear csr;
    NDManager manager;
    NDArray xDjl;
    NDArray wT;

    /** Draws an N:M mask (fixed seed), compresses it both ways, copies it into PyTorch. */
    @Setup(Level.Trial)
    public void setUp() {
      String[] p = pattern.split(":");
      int n = Integer.parseInt(p[0]);
      int m = Integer.parseInt(p[1]);
      float[][] wm = nmWeight(dim, dim, n, m, 42);
      Parameter w = new Parameter("fc", new ParamSpec("weight", ParamRole.WEIGHT, new Shape(dim, dim), "OI"),
          Tensor.of(wm[0], dim, dim));
      w.setMask(Tensor.of(wm[1], dim, dim));
      nm = SparseLinear.builder().setWeight(w).optNm(n, m).optThreads(2).build();
      csr = SparseLinear.builder().setWeight(w).optCsr().optThreads(2).build();
      SplittableRandom rng = new SplittableRandom(7);
      x = new float[batch * dim];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (rng.nextDouble() * 2 - 1);
      }
      y = new float[batch * dim];
      manager = NDManager.newBaseManager("PyTorch");
      wT = manager.create(SparseLinearBenchmark.transpose(wm[0], dim, dim), new ai.djl.ndarray.types.Shape(dim, dim));
      xDjl = manager.create(x, new ai.djl.ndarray.types.Shape(batch, dim));
    }

    /** Stops the layers' threads and frees the native arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
      nm.close();
      csr.close();
      manager.close();
    }
  }

  /**
   * A {@code [rows, cols]} weight and its 0/1 mask keeping exactly {@code n} random positions of
   * every group of {@code m} columns (zeros elsewhere).
   *
   * @return {@code {weight, mask}}
   */
  static float[][] nmWeight(int rows, int cols, int n, int m, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] w = new float[rows * cols];
    float[] mask = new float[rows * cols];
    double scale = 1 / Math.sqrt(cols);
    int[] idx = new int[m];
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < cols; g += m) {
        for (int j = 0; j < m; j++) {
          idx[j] = j;
        }
        for (int j = 0; j < n; j++) { // partial Fisher-Yates: the first n are the kept positions
          int k = j + rng.nextInt(m - j);
          int tmp = idx[j];
          idx[j] = idx[k];
          idx[k] = tmp;
          int c = r * cols + g + idx[j];
          mask[c] = 1f;
          w[c] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
      }
    }
    return new float[][] {w, mask};
  }

  /**
   * N:M kernel.
   *
   * @return the output (consumed by JMH)
   */
  @Benchmark
  public float[] nm(Layer l) {
    l.nm.forward(l.x, l.batch, l.y);
    return l.y;
  }

  /**
   * CSR kernel on the same weights.
   *
   * @return the output (consumed by JMH)
   */
  @Benchmark
  public float[] csr(Layer l) {
    l.csr.forward(l.x, l.batch, l.y);
    return l.y;
  }

  /**
   * Dense DJL PyTorch product on the same (masked) weights.
   *
   * @return one output element
   */
  @Benchmark
  public float djlDense(Layer l) {
    try (NDArray y = l.xDjl.matMul(l.wT)) {
      return y.getFloat(0, 0);
    }
  }
}
