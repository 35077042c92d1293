package org.prunekit.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
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
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.dynamic.InferenceCost;
import org.prunekit.dynamic.dance.DanceNet;
import org.prunekit.dynamic.dance.DanceRunner;
import org.prunekit.dynamic.dance.DanceTraining;
import org.prunekit.dynamic.dance.LayerThresholds;
import org.prunekit.dynamic.dance.MovingDigits;

/*
 * WHAT THIS MEASURES
 *
 * Per-clip (batch 1) forward latency of a 3-layer 3D CNN (DanceNet, channels 16-32-64, clips of
 * 1x8x32x32 synthetic moving glyphs) on the DJL PyTorch engine through DanceRunner: mode=dense runs
 * the three Conv3d layers as they are; mode=gated applies DANCE gating with FIXED thresholds to the
 * inputs of conv2 and conv3 (frames below 0.8 mu, channels below `channel` x mu, elements below 1.0
 * mu are dropped, mu = running mean |x| of that layer's input), so dropped frames and channels are
 * gathered away and the engine convolves smaller tensors (GatedConv3d). The net is randomly
 * initialised (seeded): the benchmark measures the gating mechanism, not a trained controller; the
 * trained end-to-end figures come from org.prunekit.examples.DanceStudy (docs/dynamic-dance.md).
 *
 * WHY
 *
 * DANCE must save real work on the execution path. The time ratio dense/gated, measured in the same
 * run, is the wall-clock speed-up of the gathering path; the auxiliary counters say how much work
 * was removed to get it.
 *
 * AUXILIARY COUNTERS (per second, like the score; divide by the score for per-clip values)
 *
 * macs: MACs the engine executed; zeroSkipMacs: the exact spec count (Conv3dCost, zero inputs
 * skipped, edge effects included); framesKept / channelsKept: summed per-clip fractions.
 *
 * kernels=conv3d runs every convolution with the engine's conv3d (gated layers with all frames kept too);
 * kernels=conv2d runs every convolution, dense and gated alike, as the exact conv2d + placement-matmul
 * decomposition (GatedConv3d), so that dense and gated use the same kernels. Compare dense and gated
 * within one kernels value.
 *
 * HOW TO RUN THIS TEST (about 2 minutes on an idle machine)
 *
 *   ./mvnw -B -o -Pbench -pl pruning-bench -am package -DskipTests
 *   java -jar pruning-bench/target/benchmarks.jar DanceBenchmark
 */

/**
 * JMH benchmark: DANCE dense vs gated per-clip forward on DJL PyTorch with executed and zero-skip
 * MAC counters. See the comment above the class.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.DJL_OFFLINE, BenchJvm.OPT_OUT_TRACKING, BenchJvm.TORCH_THREADS,
    BenchJvm.TORCH_INTEROP_THREADS, BenchJvm.QUIET_LOGGING, BenchJvm.HEAP_MAX, BenchJvm.HEAP_MIN, BenchJvm.PRE_TOUCH})
@Threads(1)
@State(Scope.Benchmark)
public class DanceBenchmark {
  /** {@code dense} or {@code gated}. */
  @Param({"dense", "gated"})
  public String mode;

  /** {@code conv3d} (the engine's 3D convolution) or {@code conv2d} (the exact conv2d + placement decomposition for every conv). */
  @Param({"conv3d", "conv2d"})
  public String kernels;

  /** Channel threshold of the gated layers, in units of the running mean. */
  @Param({"1.0"})
  public float channel;

  private NDManager manager;
  private DanceRunner runner;
  private float[][] clips;
  private List<LayerThresholds> thresholds;
  private int next;

  /** Builds the net, its running means and the runner; one forward per clip runs here. */
  @Setup(Level.Trial)
  public void setUp() {
    DjlEnvironment.ensureOffline();
    Engine.getInstance().setRandomSeed(42);
    manager = DjlEnvironment.newManager();
    DanceNet net = DanceNet.builder().setChannels(16, 32, 64).setNumClasses(4).build();
    net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 32, 32));
    MovingDigits.Clips data = MovingDigits.synthetic(16, 8, 32, 7);
    float[] mu = DanceTraining.runningMeans(net, data, 16, 16);
    runner = DanceRunner.builder().setNet(net).setClipShape(data.clipShape()).setRunningMeans(mu)
        .optConv2dKernels("conv2d".equals(kernels)).build();
    thresholds = List.of(new LayerThresholds(0.8f, channel, 1.0f), new LayerThresholds(0.8f, channel, 1.0f));
    clips = new float[data.size()][];
    for (int i = 0; i < clips.length; i++) {
      clips[i] = data.clip(i);
      run(clips[i]);
    }
  }

  /** Releases the runner and the net's native memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    runner.close();
    manager.close();
  }

  private DanceRunner.Result run(float[] clip) {
    return "dense".equals(mode) ? runner.dense(clip) : runner.gated(clip, thresholds);
  }

  /**
   * One clip, dense or gated; the result is returned so JMH consumes it.
   *
   * @param counters the auxiliary counters
   * @return the result of the clip
   */
  @Benchmark
  public DanceRunner.Result forward(DanceCounters counters) {
    DanceRunner.Result r = run(clips[next]);
    next = (next + 1) % clips.length;
    InferenceCost c = r.cost();
    counters.macs += c.macs();
    counters.zeroSkipMacs += c.counters().getOrDefault("zeroSkipMacs", 0.0).longValue();
    counters.framesKept += c.counters().getOrDefault("framesKept", 1.0);
    counters.channelsKept += c.counters().getOrDefault("channelsKept", 1.0);
    return r;
  }

  /** Auxiliary counters, per second like the primary score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class DanceCounters {
    /** MACs executed by the engine. */
    public long macs;
    /** Exact zero-skipping MACs (spec count). */
    public long zeroSkipMacs;
    /** Sum of per-clip kept-frame fractions of the gated layers. */
    public double framesKept;
    /** Sum of per-clip kept-channel fractions of the gated layers. */
    public double channelsKept;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      macs = 0;
      zeroSkipMacs = 0;
      framesKept = 0;
      channelsKept = 0;
    }
  }

  /**
   * Runs this benchmark with the annotated settings.
   *
   * @param args ignored
   * @throws RunnerException if JMH fails
   */
  public static void main(String[] args) throws RunnerException {
    Options opt = new OptionsBuilder().include(DanceBenchmark.class.getSimpleName()).build();
    new Runner(opt).run();
  }
}
