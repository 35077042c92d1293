package org.prunekit.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;

/*
 * WHAT THIS MEASURES
 *
 * Forward throughput (and so latency: 1 / throughput on one thread) of a small CNN
 * (SmallCnn: conv16-relu-pool-conv32-relu-pool-flatten-fc128-relu-fc10 on 1x28x28) on the DJL
 * PyTorch engine through GraphExecutor.predict, the path a user takes: heap tensor in, heap tensor
 * out.
 *
 * WHY
 *
 * Unstructured magnitude pruning (Pruning.prune with "magnitude", Scope.LAYER) only attaches 0/1
 * masks; GraphExecutor multiplies them into its copy of the weights once, and PyTorch then runs the
 * same dense convolution and matrix kernels on a weight tensor that happens to hold zeros. Dense
 * kernels do not skip zeros, so the time per forward should not move with sparsity, while the work
 * that a sparse kernel would need ("effective MACs") drops to about (1 - sparsity) of the dense
 * count. This benchmark documents that honestly, beside the numbers that would justify a sparse
 * kernel.
 *
 * sparsity = 0 is the dense baseline: the graph is not pruned at all (no masks). It runs in the same
 * JMH run as the pruned variants, so ratios against it are meaningful on a shared, noisy machine.
 *
 * AUXILIARY COUNTERS (JMH sample 23 style)
 *
 * denseMacs and effectiveMacs are counted per call from CostModel and normalised by JMH to "per
 * second", like the primary score. Dividing a counter by the primary score gives the MACs of one
 * forward call; effectiveMacs / denseMacs is the fraction of work a zero-skipping kernel would do.
 *
 * HOW TO RUN THIS TEST
 *
 *   ./mvnw -B -o -Pbench -pl pruning-bench -am package -DskipTests
 *   java -jar pruning-bench/target/benchmarks.jar MaskedForwardBenchmark
 *
 * or run main() below from the IDE (the classpath must hold the annotation-processed classes).
 */

/**
 * JMH benchmark: forward speed of a small CNN on DJL PyTorch, dense versus unstructured
 * magnitude-masked, with dense and effective MACs as auxiliary counters. See the comment above
 * the class for what it shows.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.DJL_OFFLINE, BenchJvm.OPT_OUT_TRACKING, BenchJvm.TORCH_THREADS,
    BenchJvm.TORCH_INTEROP_THREADS, BenchJvm.QUIET_LOGGING, BenchJvm.HEAP_MAX, BenchJvm.HEAP_MIN, BenchJvm.PRE_TOUCH})
@Threads(1)
@State(Scope.Benchmark)
public class MaskedForwardBenchmark {
  /** Fraction of every conv and linear weight masked; 0 = the unpruned dense baseline. */
  @Param({"0", "0.5", "0.9"})
  public double sparsity;

  /** Images per forward call. */
  @Param({"1", "32"})
  public int batch;

  private Graph graph;
  private GraphExecutor executor;
  private Tensor input;
  private long denseMacsPerCall;
  private long effectiveMacsPerCall;

  /**
   * Builds the network, prunes it unless {@code sparsity == 0}, counts its MACs and starts an
   * executor; the first forward call (library load, about a second) is made here, outside the
   * measurement.
   */
  @Setup(Level.Trial)
  public void setUp() {
    graph = SmallCnn.build(42);
    if (sparsity > 0) {
      Pruning.prune(graph, PruningSpec.of("magnitude", sparsity, org.prunekit.criteria.Scope.LAYER));
    }
    CostTotals cost = CostModel.of(graph, batch).total();
    denseMacsPerCall = cost.macs();
    effectiveMacsPerCall = cost.effectiveMacs();
    float[] x = new float[batch * SmallCnn.SAMPLE_SHAPE[0] * SmallCnn.SAMPLE_SHAPE[1] * SmallCnn.SAMPLE_SHAPE[2]];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble();
    }
    input = Tensor.of(x, batch, SmallCnn.SAMPLE_SHAPE[0], SmallCnn.SAMPLE_SHAPE[1], SmallCnn.SAMPLE_SHAPE[2]);
    executor = GraphExecutor.create(graph);
    executor.predict(input);
  }

  /** Releases the executor's native memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (executor != null) {
      executor.close();
      executor = null;
    }
  }

  /**
   * One forward call; the logits are returned so that JMH consumes them (no dead-code elimination).
   *
   * @param counters the auxiliary MAC counters
   * @return the logits, {@code [batch, 10]}
   */
  @Benchmark
  public Tensor forward(MacCounters counters) {
    counters.denseMacs += denseMacsPerCall;
    counters.effectiveMacs += effectiveMacsPerCall;
    return executor.predict(input);
  }

  /** The graph under test (pruned in {@link #setUp()} unless the sparsity is 0). */
  public Graph graph() {
    return graph;
  }

  /** The executor, or null before {@link #setUp()} and after {@link #tearDown()}. */
  public GraphExecutor executor() {
    return executor;
  }

  /** The input batch. */
  public Tensor input() {
    return input;
  }

  /** Dense MACs of one forward call (CostModel), set by {@link #setUp()}. */
  public long denseMacsPerCall() {
    return denseMacsPerCall;
  }

  /** MACs of one call with masked weights skipped (CostModel), set by {@link #setUp()}. */
  public long effectiveMacsPerCall() {
    return effectiveMacsPerCall;
  }

  /**
   * Auxiliary counters reported beside the primary score, per second like it: the dense MACs the
   * engine executes and the effective MACs a zero-skipping kernel would execute.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class MacCounters {
    /** Dense multiply-accumulates executed in this iteration. */
    public long denseMacs;

    /** Multiply-accumulates on unmasked, non-zero weights in this iteration. */
    public long effectiveMacs;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      denseMacs = 0;
      effectiveMacs = 0;
    }
  }

  /**
   * Runs this benchmark with the annotated settings.
   *
   * @param args ignored
   * @throws RunnerException if JMH fails
   */
  public static void main(String[] args) throws RunnerException {
    Options opt = new OptionsBuilder().include(MaskedForwardBenchmark.class.getSimpleName()).build();
    new Runner(opt).run();
  }
}
