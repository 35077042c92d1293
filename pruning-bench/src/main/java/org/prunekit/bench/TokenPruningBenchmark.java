package org.prunekit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.prunekit.core.graph.Shape;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.VitConfig;
import org.prunekit.dynamic.token.ClsVit;
import org.prunekit.dynamic.token.TokenPruner;
import org.prunekit.dynamic.token.TokenProxy;
import org.prunekit.dynamic.token.TransformerModel;

/*
 * WHAT THIS MEASURES
 *
 * Latency (ms per call, one benchmark thread, libtorch single-threaded) of a class-token ViT on
 * 28x28 images (patch 4: 49 patch tokens + 1 class token; dim 32, 6 blocks, 4 heads, MLP 64, the
 * model of org.prunekit.examples.TokenPruningStudy), batch 32 by default:
 *   - dense:  TransformerRunner.predict, every block on all 50 tokens;
 *   - pruned: TokenPruner.run, tokens scored by the V-norm proxy (or -p proxy=ATTENTION) at block 0
 *             and only keepRatio of the 49 patch tokens (+ the class token) gathered and passed to
 *             blocks 1..5, the final norm and the class-token head.
 * keepRatio 1.0 is the pruner's overhead alone (proxy + gather of every token); compare pruned at
 * 0.75 / 0.5 with dense in the same run for the speed-up.
 *
 * Weights: random (timing and MACs do not depend on them: the kept count is fixed by the ratio).
 * A trained model saved by the study can be used with -Dprunekit.tokenModel=<path prefix> (files
 * <prefix>-encoder.pkm and <prefix>-head.pkm); nothing under ../shared is needed.
 *
 * WHY
 *
 * Issue 5 sections 3 and 5: token pruning must save real work; target 50 % pruned >= 1.5x.
 *
 * AUXILIARY COUNTERS (EVENTS, summed per iteration)
 *
 * macs / calls = the exact MACs of one call (TokenPruner.cost / denseCost: core CostModel rules at
 * the sequence length each block really saw, proxy included); tokens / calls = sequence length
 * after pruning (batch not included).
 *
 * HOW TO RUN THIS TEST (about 2 minutes: 6 forks of 2 s warm-up + 4 s measurement plus start-up)
 *
 *   ./mvnw -B -o -Pbench -pl pruning-bench -am package -DskipTests
 *   java -jar pruning-bench/target/benchmarks.jar TokenPruningBenchmark
 *
 * libtorch runs with one intra-op thread here: with two threads on the 2 shared, busy cores its
 * OpenMP workers wait on each other and calls became several times slower.
 */

/**
 * JMH benchmark: dense versus token-pruned ViT latency at keep ratios 1.0 / 0.75 / 0.5 with MACs and
 * kept tokens as auxiliary counters. See the comment above the class.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.DJL_OFFLINE, BenchJvm.OPT_OUT_TRACKING, "-Dai.djl.pytorch.num_threads=1",
    BenchJvm.TORCH_INTEROP_THREADS, BenchJvm.QUIET_LOGGING, "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class TokenPruningBenchmark {
  /** The model of the token-pruning study (random weights). */
  public static final VitConfig CONFIG = VitConfig.builder().optInput(1, 28).optPatchSize(4).optDim(32).optDepth(6)
      .optHeads(4, 4).optMlpDim(64).optClasses(10).optSeed(1).build();

  /** Fraction of the 49 patch tokens kept after block 0. */
  @Param({"1.0", "0.75", "0.5"})
  public double keepRatio;

  /** Images per call. */
  @Param({"32"})
  public int batch;

  /** The token proxy: {@code V_NORM} or {@code ATTENTION}. */
  @Param({"V_NORM"})
  public String proxy;

  private TokenPruner pruner;
  private Tensor[] input;
  private long macs;
  private long denseMacs;
  private int tokens;

  /** Builds the model and pruner, makes the first calls outside the measurement. */
  @Setup(Level.Trial)
  public void setUp() {
    TransformerModel model = model();
    pruner = TokenPruner.builder().setModel(model).setPruneAfterBlock(0).setKeepRatio(keepRatio)
        .optProxy(TokenProxy.valueOf(proxy)).build();
    float[] x = new float[batch * 28 * 28];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble();
    }
    input = ClsVit.inputs(new Tensor(new Shape(batch, 1, 28, 28), x), CONFIG);
    macs = pruner.cost(batch).macs();
    denseMacs = pruner.denseCost(batch).macs();
    tokens = pruner.keptTokens();
    pruner.run(input);
    pruner.runner().predict(input);
  }

  /** The study's model: trained if {@code -Dprunekit.tokenModel} names one, else random-init. */
  public static TransformerModel model() {
    String prefix = System.getProperty("prunekit.tokenModel");
    if (prefix == null) {
      return ClsVit.build(CONFIG);
    }
    try {
      return new TransformerModel(ModelFormat.load(Path.of(prefix + "-encoder.pkm")).graph(),
          TransformerModel.Readout.CLS, ModelFormat.load(Path.of(prefix + "-head.pkm")).graph());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token model " + prefix + " (exists: "
          + Files.exists(Path.of(prefix + "-encoder.pkm")) + ")", e);
    }
  }

  /** Frees the engine copies. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pruner.close();
  }

  /**
   * The dense model on all tokens.
   *
   * @param c counters
   * @return the logits
   */
  @Benchmark
  public Tensor dense(TokenCounters c) {
    c.calls++;
    c.macs += denseMacs;
    c.tokens += CONFIG.tokens() + 1;
    return pruner.runner().predict(input);
  }

  /**
   * Token-pruned: proxy at block 0, later blocks on the kept tokens.
   *
   * @param c counters
   * @return the logits
   */
  @Benchmark
  public Tensor pruned(TokenCounters c) {
    c.calls++;
    c.macs += macs;
    c.tokens += tokens;
    return pruner.run(input).output();
  }

  /** Auxiliary counters, summed per iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class TokenCounters {
    /** Calls in this iteration. */
    public long calls;

    /** MACs executed (exact, per call times calls). */
    public long macs;

    /** Sequence length after pruning, summed over calls. */
    public long tokens;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      calls = 0;
      macs = 0;
      tokens = 0;
    }
  }
}
