package org.prunekit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.dynamic.InferenceCost;
import org.prunekit.dynamic.route.ExpertRouter;
import org.prunekit.dynamic.route.RoutedBatch;
import org.prunekit.dynamic.route.ThresholdCalibration;

/*
 * WHAT THIS MEASURES
 *
 * Wall time of classifying Fashion-MNIST test images with the dense LeNet-5 (16/32/128/64) alone
 * ("dense") versus AGF light/heavy routing ("routed": the AGF-pruned light expert on every image,
 * the dense model only on images whose max softmax probability is below the calibrated threshold),
 * per call of `batch` images, cycling through the test split. ms per call; divide by batch for ms
 * per image.
 *
 * Set-up (once per fork; the trained experts are cached as .pkm files in java.io.tmpdir, so the
 * second and later forks only load them): AgfRoutingFixture with the shipped t10k file alone
 * (examples/data/fashion-mnist, or -Dprunekit.fashion.dir): dense model trained 3 epochs on
 * t10k[0,6000), AGF light expert at channel ratio 0.5 (1,024 calibration images) fine-tuned 1
 * epoch, threshold calibrated on [6000,8000) (smallest cost that keeps the dense validation
 * accuracy), benchmark on [8000,10000). With `-jvmArgsAppend -Dprunekit.bench.shared=/work/shared`
 * it uses the full Fashion-MNIST training file (20,000 training images, validation
 * train[50000,60000), test t10k) instead. Delete $TMPDIR/prunekit-agf-bench-*.pkm to retrain.
 *
 * Note: on the shipped split the fine-tuned light expert can be about as accurate as the dense
 * model on validation, so the calibrated threshold may escalate nothing (heavy = 0); the counters
 * say so. See docs/dynamic-routing.md.
 *
 * WHY
 *
 * Issue 5 section 4: routing must save real work (the heavy expert runs only on escalated rows)
 * and report heavy-expert usage and total cost beside the time.
 *
 * AUXILIARY COUNTERS (EVENTS, summed per iteration)
 *
 *   images:   images classified
 *   macs:     CostModel MACs actually executed (light + heavy for escalated images; dense: dense)
 *   heavy:    images that ran the heavy expert (dense: all)
 * macs / images is the mean cost per image; heavy / images is the heavy-expert usage.
 *
 * HOW TO RUN THIS TEST (about 2 minutes)
 *
 *   ./mvnw -B -o -Pbench -pl pruning-bench -am package -DskipTests
 *   java -jar pruning-bench/target/benchmarks.jar AgfRoutingBenchmark
 */

/** JMH benchmark: dense vs AGF light/heavy routed classification, with MACs and heavy usage counters. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.DJL_OFFLINE, BenchJvm.OPT_OUT_TRACKING, BenchJvm.TORCH_THREADS,
    BenchJvm.TORCH_INTEROP_THREADS, BenchJvm.QUIET_LOGGING, BenchJvm.HEAP_MAX, BenchJvm.HEAP_MIN, BenchJvm.PRE_TOUCH})
@Threads(1)
@State(Scope.Benchmark)
public class AgfRoutingBenchmark {
  /** Epochs of dense training in the set-up. */
  static final int DENSE_EPOCHS = 3;

  /** {@code dense} (heavy expert only) or {@code routed}. */
  @Param({"dense", "routed"})
  public String mode;

  /** Images per call. */
  @Param({"1", "256"})
  public int batch;

  private ExpertRouter router;
  private List<Tensor> batches;
  private int next;
  private ThresholdCalibration calibration;

  /** Per-iteration counters: images, MACs executed, heavy-expert images. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class RoutingCounters {
    /** Images classified. */
    public long images;
    /** MACs executed. */
    public long macs;
    /** Images that ran the heavy expert. */
    public long heavy;

    /** Clears the counters before each iteration. */
    @Setup(Level.Iteration)
    public void clear() {
      images = 0;
      macs = 0;
      heavy = 0;
    }
  }

  /**
   * Trains (or loads the cached) experts, calibrates the threshold and cuts the test split into
   * batches.
   *
   * @throws IOException if the data or the cache cannot be read
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (!mode.equals("dense") && !mode.equals("routed")) {
      throw new IllegalArgumentException("unknown mode '" + mode + "', expected dense or routed");
    }
    String sharedProp = System.getProperty("prunekit.bench.shared");
    Path shared = sharedProp == null ? null : Path.of(sharedProp);
    AgfRoutingFixture.Splits s = AgfRoutingFixture.splits(shared, AgfRoutingFixture.shippedDir(), 20_000);
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    String key = (shared == null ? "shipped" : "shared") + "-e" + DENSE_EPOCHS;
    Path denseFile = dir.resolve("prunekit-agf-bench-dense-" + key + ".pkm");
    Path lightFile = dir.resolve("prunekit-agf-bench-light-" + key + ".pkm");
    Graph dense;
    Graph light;
    if (Files.isRegularFile(denseFile) && Files.isRegularFile(lightFile)) {
      dense = ModelFormat.load(denseFile).graph();
      light = ModelFormat.load(lightFile).graph();
    } else {
      AgfRoutingFixture.Experts e = AgfRoutingFixture.experts(s, DENSE_EPOCHS, 0.5, 1024, 1, 42);
      dense = e.dense();
      light = e.light();
      ModelFormat.save(dense, null, denseFile);
      ModelFormat.save(light, null, lightFile);
    }
    router = ExpertRouter.builder().setLight(light).setHeavy(dense).setThreshold(0).build();
    calibration = router.calibrate(s.validation().images(), s.validation().labels(), 0.0);
    router.setThreshold(calibration.threshold());
    batches = new ArrayList<>();
    for (int from = 0; from + batch <= s.test().size(); from += batch) {
      batches.add(s.test().batch(from, from + batch));
    }
    run(new RoutingCounters()); // first call outside the measurement
  }

  /** Releases the engines. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (router != null) {
      router.close();
      router = null;
    }
  }

  /**
   * Classifies the next batch of test images.
   *
   * @param c the counters
   * @return the logits
   */
  @Benchmark
  public Tensor run(RoutingCounters c) {
    Tensor x = batches.get(next);
    next = (next + 1) % batches.size();
    c.images += batch;
    if (mode.equals("dense")) {
      c.heavy += batch;
      c.macs += batch * router.heavyCost().macs();
      return router.predictHeavy(x);
    }
    RoutedBatch r = router.route(x);
    InferenceCost total = r.totalCost();
    c.macs += total.macs();
    c.heavy += r.heavyCount();
    return r.outputs();
  }

  /** The calibration of the last set-up (for tests). */
  ThresholdCalibration calibration() {
    return calibration;
  }
}
