package org.prunekit.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.prunekit.core.graph.Graph;
import org.prunekit.dynamic.probeflow.EulerSolver;
import org.prunekit.dynamic.probeflow.Noise;
import org.prunekit.dynamic.probeflow.ProbeFlowSolver;
import org.prunekit.dynamic.probeflow.SolveResult;
import org.prunekit.dynamic.probeflow.policy.ActionChunks;
import org.prunekit.dynamic.probeflow.policy.ChunkNormalizer;
import org.prunekit.dynamic.probeflow.policy.DemoTrajectory;
import org.prunekit.dynamic.probeflow.policy.FlowMatchingTrainer;
import org.prunekit.dynamic.probeflow.policy.FlowPolicyHead;
import org.prunekit.dynamic.probeflow.policy.KukaDemos;
import org.prunekit.dynamic.probeflow.policy.Parameterization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * WHAT THIS MEASURES
 *
 * Decoding one action chunk (horizon 16 x 3 velocities, batch 1) from a conditional flow-matching
 * action head (MLP (52 or 55)-256-256-256-48, SiLU, on DJL PyTorch through GraphExecutor) with fixed-step
 * 50-step Euler (the reference decoder) and with ProbeFlow (algorithms.md 3.2: one lookahead probe,
 * then N = clip(2 + 2 floor((1 - sim) / 0.008), 2, 20) Euler steps). Each call decodes the next of
 * 64 fixed (position, noise) pairs, round robin, so both methods see the same inputs.
 *
 * WHY
 *
 * ProbeFlow saves network evaluations, the real work of decoding: a straight flow takes 2
 * evaluations instead of 50. The speed-up in wall-clock time is at most NFE(Euler-50) / NFE(ProbeFlow)
 * and less where the solver's own bookkeeping or per-call overhead matters.
 *
 * THE HEAD
 *
 * With head=auto (default), if the KUKA LWR demonstrations are found (KukaDemos.locate(): system
 * property prunekit.shared.dir, or ../shared/data/robot-demos-kuka-lwr-dsopt from the working
 * directory), the setup trains the head on task 3D_viapoint_1 (every 5th demo held out; the 64
 * positions come from the held-out demos) for trainSteps steps (about 25 s on the busy 2 cores). If the
 * data are absent it FALLS BACK to the deterministically initialised, untrained head (seed 7) and
 * logs a warning: that flow is not the learned one, so ProbeFlow's step counts then say nothing
 * about a real policy. head=random forces that fallback.
 *
 * AUXILIARY COUNTERS
 *
 * nfe and steps are summed per call and normalised by JMH per second like the primary score
 * (calls/s): nfe / score is the mean network evaluations per decoded chunk, steps / score the mean
 * integration steps.
 *
 * condition=position is the setting (condition on the current position); position-velocity
 * also gives the head the current velocity. parameterization=velocity: the MLP outputs the velocity
 * (its learned flow is curved, ProbeFlow takes ~19 steps); endpoint: the MLP outputs the expected
 * final chunk and v = (x1hat - x) / (1 - t), a straighter flow (see docs/dynamic-probeflow.md).
 * Measured by default: condition=position-velocity with both parameterizations (pass
 * -p condition=position for the position-only setting).
 *
 * HOW TO RUN THIS TEST (about 2.5 minutes: 4 forks, each training its head)
 *
 *   ./mvnw -B -o -Pbench -pl pruning-bench -am package -DskipTests
 *   java -jar pruning-bench/target/benchmarks.jar ProbeFlowBenchmark
 */

/**
 * JMH benchmark: decoding latency of a flow-matching action head with 50-step Euler versus
 * ProbeFlow, with network evaluations and steps as auxiliary counters. See the comment above the
 * class.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.DJL_OFFLINE, BenchJvm.OPT_OUT_TRACKING, ProbeFlowBenchmark.ONE_TORCH_THREAD,
    BenchJvm.TORCH_INTEROP_THREADS, BenchJvm.QUIET_LOGGING})
@Threads(1)
@State(Scope.Benchmark)
public class ProbeFlowBenchmark {
  /**
   * One PyTorch intra-op thread: batch-1 decoding of a small MLP gains nothing from two, and on the
   * oversubscribed reference machine OpenMP's spinning second thread made training about 10x slower.
   */
  public static final String ONE_TORCH_THREAD = "-Dai.djl.pytorch.num_threads=1";

  private static final Logger LOG = LoggerFactory.getLogger(ProbeFlowBenchmark.class);
  private static final int HORIZON = 16;
  private static final int INPUTS = 64;

  /** {@code auto}: train on the KUKA data if found, else the untrained head; {@code random}: untrained. */
  @Param({"auto"})
  public String head;

  /** Training steps when the data are found. */
  @Param({"600"})
  public int trainSteps;

  /**
   * What the head is conditioned on: {@code position} (the setting) or {@code
   * position-velocity}.
   */
  @Param({"position-velocity"})
  public String condition;

  /** What the head's network outputs: {@code velocity} or {@code endpoint} (see Parameterization). */
  @Param({"velocity", "endpoint"})
  public String parameterization;

  private FlowPolicyHead policy;
  private boolean trained;
  private float[][][] conditions;
  private float[][][] noise;
  private int next;
  private final EulerSolver euler50 = EulerSolver.of(50);
  private final ProbeFlowSolver probeFlow = ProbeFlowSolver.withDefaults();

  /** Builds (and, with data, trains) the head and the 64 fixed inputs, then decodes once with each solver. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Optional<Path> dir = "auto".equals(head) ? KukaDemos.locate() : Optional.empty();
    ActionChunks.Condition cond = "position-velocity".equals(condition)
        ? ActionChunks.Condition.POSITION_VELOCITY : ActionChunks.Condition.POSITION;
    int condDim = cond == ActionChunks.Condition.POSITION ? 3 : 6;
    Graph graph = FlowPolicyHead.newGraph(HORIZON, condDim, 256, 3, 7);
    List<float[]> positions = new ArrayList<>();
    ChunkNormalizer norm;
    if (dir.isPresent()) {
      List<DemoTrajectory> demos = KukaDemos.read(dir.get().resolve("3D_viapoint_1.csv"));
      List<DemoTrajectory> train = new ArrayList<>();
      List<DemoTrajectory> held = new ArrayList<>();
      for (int i = 0; i < demos.size(); i++) {
        (i % 5 == 4 ? held : train).add(demos.get(i));
      }
      ActionChunks chunks = ActionChunks.cut(train, HORIZON, 1, cond);
      norm = ChunkNormalizer.fit(chunks);
      FlowMatchingTrainer.builder().optSteps(trainSteps).optSeed(7).optParameterization(param()).build()
          .train(graph, chunks, norm);
      ActionChunks eval = ActionChunks.cut(held, HORIZON, 1, cond);
      for (int i = 0; i < INPUTS; i++) {
        positions.add(eval.conditions()[(int) ((long) i * eval.size() / INPUTS)]);
      }
      trained = true;
    } else {
      if ("auto".equals(head)) {
        LOG.warn("KUKA demonstrations not found: benchmarking the UNTRAINED, deterministically initialised head");
      }
      float[] mean = new float[condDim];
      float[] std = new float[condDim];
      java.util.Arrays.fill(std, 0.1f);
      norm = new ChunkNormalizer(new float[] {-0.3f, -0.3f, -0.3f}, new float[] {0.3f, 0.3f, 0.3f}, mean, std);
      SplittableRandom rng = new SplittableRandom(11);
      for (int i = 0; i < INPUTS; i++) {
        float[] c = new float[condDim];
        for (int e = 0; e < condDim; e++) {
          c[e] = (float) (0.2 * rng.nextDouble() - 0.1);
        }
        positions.add(c);
      }
      trained = false;
    }
    policy = FlowPolicyHead.create(graph, HORIZON, norm, param());
    conditions = new float[INPUTS][][];
    noise = new float[INPUTS][][];
    for (int i = 0; i < INPUTS; i++) {
      conditions[i] = new float[][] {positions.get(i)};
      noise[i] = Noise.uniform(1, policy.dimension(), new SplittableRandom(1000 + i));
    }
    euler50.solve(policy, noise[0], conditions[0]);
    probeFlow.solve(policy, noise[0], conditions[0]);
  }

  /** Frees the head's native memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (policy != null) {
      policy.close();
      policy = null;
    }
  }

  /** One chunk with 50-step Euler (50 network evaluations). */
  @Benchmark
  public float[][] euler50(DecodeCounters c) {
    return count(euler50.solve(policy, noise[next], conditions[advance()]), c);
  }

  /** One chunk with ProbeFlow. */
  @Benchmark
  public float[][] probeflow(DecodeCounters c) {
    return count(probeFlow.solve(policy, noise[next], conditions[advance()]), c);
  }

  private Parameterization param() {
    return "endpoint".equals(parameterization) ? Parameterization.ENDPOINT : Parameterization.VELOCITY;
  }

  private int advance() {
    int i = next;
    next = (next + 1) % INPUTS;
    return i;
  }

  private static float[][] count(SolveResult r, DecodeCounters c) {
    c.nfe += r.networkEvaluations();
    c.steps += r.steps();
    return r.x();
  }

  /** Whether the head was trained on the KUKA data (false: the untrained fallback). */
  public boolean trained() {
    return trained;
  }

  /** The head under test, or null outside a trial. */
  public FlowPolicyHead policy() {
    return policy;
  }

  /** Network evaluations and steps, per second like the primary score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class DecodeCounters {
    /** Network evaluations in this iteration. */
    public long nfe;

    /** Integration steps in this iteration. */
    public long steps;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      nfe = 0;
      steps = 0;
    }
  }

  /**
   * Runs this benchmark with the annotated settings.
   *
   * @param args ignored
   * @throws RunnerException if JMH fails
   */
  public static void main(String[] args) throws RunnerException {
    Options opt = new OptionsBuilder().include(ProbeFlowBenchmark.class.getSimpleName()).build();
    new Runner(opt).run();
  }
}
