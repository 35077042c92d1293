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
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.MobileNetV2Config;
import org.prunekit.core.zoo.ModelZoo;
import org.prunekit.core.zoo.ResNetConfig;
import org.prunekit.criteria.structured.StructuredPruning;
import org.prunekit.criteria.structured.StructuredSpec;

/*
 * WHAT THIS MEASURES
 *
 * Forward latency (ms per call, one benchmark thread) of small image models on 3x32x32 inputs,
 * dense and structurally pruned, on two engines:
 *   - djl: GraphExecutor.predict on DJL PyTorch (heap tensor in, heap tensor out; one DJL op per
 *     graph node, BatchNorm run as its own op);
 *   - ort: the same graph exported with OnnxExporter and run by ONNX Runtime (CPU provider, all
 *     graph optimisations, so Conv+BatchNorm(+ReLU) are fused), heap tensor in, heap tensor out,
 *     with as many intra-op threads as PyTorch gets (OrtForward.threadsLikeTorch()).
 *
 * Models (@Param model): resnet8 = ModelZoo.resnet with stage widths 16/32/64 (ResNet-8), resnet8w
 * = the same with widths 32/64/128 (4x the MACs; tiny convolutions are dominated by per-op
 * overhead, so the wider one shows how much of the MAC cut survives once arithmetic dominates),
 * mobilenetv2 = ModelZoo.mobileNetV2 with its default small configuration.
 *
 * channelRatio = 0 is the dense baseline (not pruned). channelRatio = 0.5 removes half of the units
 * of every prunable group by L1 importance (StructuredPruning, local ranking, widths rounded to
 * multiples of ROUND_TO): the pruned graph is physically smaller (narrower convolutions), so a
 * dense engine does less work, unlike the 0/1 masks of MaskedForwardBenchmark.
 *
 * WHY
 *
 * Issue 3 section 6: structural pruning is only worth its accuracy cost if the MAC cut becomes
 * real speed. The target is a latency speed-up of at least 0.75x the MAC reduction at batch 32
 * for the ResNet at 50 % channels (Torch-Pruning's ResNet-50 turns a 3.85x MAC cut into 2.19x,
 * a ratio of 0.57). Halving the channels of a conv whose input is also halved cuts its MACs about
 * 4x; the stem's input (3 image channels) and the classifier's output (10 classes) stay.
 *
 * AUXILIARY COUNTERS
 *
 * macs and forwards are EVENTS counters (summed per iteration, not normalised by time):
 * macs / forwards is the CostModel MAC count of one forward call of the graph that runs (batch
 * included). The MAC reduction of a pruned row is the dense row's MACs / forward divided by its
 * own; the latency speed-up is the dense row's latency divided by its own, for the same model,
 * batch and engine, in the same run.
 *
 * HOW TO RUN THIS TEST
 *
 *   ./mvnw -B -o -Pbench -pl pruning-bench -am package -DskipTests
 *   java -jar pruning-bench/target/benchmarks.jar StructuredSpeedupBenchmark
 *
 * or run main() below from the IDE (the classpath must hold the annotation-processed classes).
 * Overriding -Dai.djl.pytorch.num_threads (see docs/benchmarks.md) changes both engines' thread
 * counts.
 */

/**
 * JMH benchmark: forward latency of dense versus structurally pruned (50 % channels) models on DJL
 * PyTorch and ONNX Runtime, with the MACs per forward call as auxiliary counters. See the comment
 * above the class for what it shows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.DJL_OFFLINE, BenchJvm.OPT_OUT_TRACKING, BenchJvm.TORCH_THREADS,
    BenchJvm.TORCH_INTEROP_THREADS, BenchJvm.QUIET_LOGGING, BenchJvm.HEAP_MAX, BenchJvm.HEAP_MIN, BenchJvm.PRE_TOUCH})
@Threads(1)
@State(Scope.Benchmark)
public class StructuredSpeedupBenchmark {
  /** Remaining widths of pruned groups are multiples of this (vector-friendly channel counts). */
  public static final int ROUND_TO = 8;

  /** Image channels and size of every model. */
  public static final int[] SAMPLE_SHAPE = {3, 32, 32};

  /** The model: {@code resnet8} (widths 16/32/64), {@code resnet8w} (32/64/128), {@code mobilenetv2}. */
  @Param({"resnet8", "resnet8w", "mobilenetv2"})
  public String model;

  /** Fraction of the units of every prunable group removed; 0 = the unpruned dense baseline. */
  @Param({"0", "0.5"})
  public double channelRatio;

  /** Images per forward call. */
  @Param({"1", "32"})
  public int batch;

  /** {@code djl} (DJL PyTorch via GraphExecutor) or {@code ort} (ONNX Runtime on the exported graph). */
  @Param({"djl", "ort"})
  public String engine;

  private Graph graph;
  private GraphExecutor executor;
  private OrtForward ort;
  private Tensor input;
  private long macsPerCall;
  private long denseMacsPerCall;

  /**
   * Builds the model, prunes it unless {@code channelRatio == 0}, counts its MACs, opens the engine
   * and makes the first forward call (library load, graph optimisation) outside the measurement.
   *
   * @throws IllegalArgumentException on an unknown model or engine name
   */
  @Setup(Level.Trial)
  public void setUp() {
    if (!engine.equals("djl") && !engine.equals("ort")) {
      throw new IllegalArgumentException("unknown engine '" + engine + "', expected djl or ort");
    }
    Graph dense = buildModel(model);
    graph = channelRatio > 0
        ? StructuredPruning.prune(dense, StructuredSpec.builder().setImportance("l1").setChannelRatio(channelRatio)
            .optRoundTo(ROUND_TO).build()).pruned()
        : dense;
    denseMacsPerCall = CostModel.of(dense, batch).total().macs();
    macsPerCall = CostModel.of(graph, batch).total().macs();
    float[] x = new float[batch * SAMPLE_SHAPE[0] * SAMPLE_SHAPE[1] * SAMPLE_SHAPE[2]];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble();
    }
    input = Tensor.of(x, batch, SAMPLE_SHAPE[0], SAMPLE_SHAPE[1], SAMPLE_SHAPE[2]);
    if (engine.equals("djl")) {
      executor = GraphExecutor.create(graph);
    } else {
      ort = new OrtForward(graph, OrtForward.threadsLikeTorch());
    }
    predict();
  }

  /**
   * The benchmark's models by name.
   *
   * @param name {@code resnet8}, {@code resnet8w} or {@code mobilenetv2}
   * @return a new, unpruned graph with input {@code image [3, 32, 32]} and 10 classes
   * @throws IllegalArgumentException on any other name
   */
  public static Graph buildModel(String name) {
    return switch (name) {
      case "resnet8" -> ModelZoo.resnet(ResNetConfig.builder().optStageWidths(16, 32, 64).build());
      case "resnet8w" -> ModelZoo.resnet(ResNetConfig.builder().optStageWidths(32, 64, 128).build());
      case "mobilenetv2" -> ModelZoo.mobileNetV2(MobileNetV2Config.builder().build());
      default -> throw new IllegalArgumentException(
          "unknown model '" + name + "', expected resnet8, resnet8w or mobilenetv2");
    };
  }

  /** Releases the engine's native memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (executor != null) {
      executor.close();
      executor = null;
    }
    if (ort != null) {
      ort.close();
      ort = null;
    }
  }

  /**
   * One forward call; the logits are returned so that JMH consumes them.
   *
   * @param counters the auxiliary MAC counters
   * @return the logits, {@code [batch, 10]}
   */
  @Benchmark
  public Tensor forward(MacCounters counters) {
    counters.forwards++;
    counters.macs += macsPerCall;
    return predict();
  }

  private Tensor predict() {
    return executor != null ? executor.predict(input) : ort.predict(input);
  }

  /** The graph that runs (pruned unless the channel ratio is 0), set by {@link #setUp()}. */
  public Graph graph() {
    return graph;
  }

  /** The input batch. */
  public Tensor input() {
    return input;
  }

  /** MACs of one forward call of {@link #graph()} (CostModel, batch included). */
  public long macsPerCall() {
    return macsPerCall;
  }

  /** MACs of one forward call of the unpruned model at the same batch. */
  public long denseMacsPerCall() {
    return denseMacsPerCall;
  }

  /** The MAC reduction: {@code denseMacsPerCall / macsPerCall} (1 for the dense baseline). */
  public double macReduction() {
    return (double) denseMacsPerCall / macsPerCall;
  }

  /**
   * Auxiliary counters, summed per iteration: {@code macs / forwards} is the MAC count of one
   * forward call.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class MacCounters {
    /** Forward calls in this iteration. */
    public long forwards;

    /** Multiply-accumulates (CostModel) executed in this iteration. */
    public long macs;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      forwards = 0;
      macs = 0;
    }
  }

  /**
   * Runs this benchmark with the annotated settings.
   *
   * @param args ignored
   * @throws RunnerException if JMH fails
   */
  public static void main(String[] args) throws RunnerException {
    Options opt = new OptionsBuilder().include(StructuredSpeedupBenchmark.class.getSimpleName()).build();
    new Runner(opt).run();
  }
}
