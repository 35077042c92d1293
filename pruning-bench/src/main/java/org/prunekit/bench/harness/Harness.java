package org.prunekit.bench.harness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SweepSpec}. For every model the dense baseline and every pruned configuration (each
 * on a fresh copy of the model) are evaluated, then timed together on every engine and batch size:
 * all configurations of the model are loaded into the engine, warmed up, and timed in up to five
 * interleaved rounds on the same seeded random input, so the baseline and the pruned models see the
 * same machine state; speed-ups are ratios of medians to that baseline.
 *
 * <p>Everything is validated before the first measurement: engines, criteria, data, every model
 * (one input, one output, shapes that fit the data). A configuration whose pruning itself fails (for
 * example a MAC budget that a small model cannot reach) is recorded in {@link SweepResult#skipped()}
 * and the sweep goes on.
 */
public final class Harness {
  private static final Logger LOG = LoggerFactory.getLogger(Harness.class);
  private static final String DJL_THREADS = "ai.djl.pytorch.num_threads";
  /** Timed runs are spread over at most this many interleaved rounds. */
  private static final int ROUNDS = 5;

  private Harness() {}

  /**
   * Runs the sweep.
   *
   * @param progress told after each step; may be {@link SweepProgress#none()}
   * @throws IllegalArgumentException naming the first bad model, criterion, engine or data setting
   * @throws IOException if a model or data file cannot be read
   */
  public static SweepResult run(SweepSpec spec, SweepProgress progress) throws IOException {
    List<Engine> engines = new ArrayList<>();
    for (String e : spec.engines()) {
      engines.add(Engines.byName(e));
    }
    List<Method> methods = Method.all(spec);
    IdxDataset data = null;
    if (spec.data() != null) {
      data = IdxDataset.loadDir(spec.data(), spec.prefix());
      if (spec.limit() > 0) {
        data = data.subset(0, Math.min(spec.limit(), data.size()));
      }
    }
    List<ModelSource.Loaded> models = new ArrayList<>();
    for (String ref : spec.models()) {
      ModelSource.Loaded m = ModelSource.load(ref, spec.seed());
      requireSingleInputOutput(m.graph());
      if (data != null && !m.graph().inputs().get(0).sampleShape().equals(data.sampleShape())) {
        throw new IllegalArgumentException("model " + m.name() + " takes samples of shape "
            + m.graph().inputs().get(0).sampleShape() + " but the data has " + data.sampleShape());
      }
      models.add(m);
    }
    Calibration calibration = Calibration.forSweep(spec, methods);
    String threads = applyThreads(spec.threads());
    Environment env = Environment.capture(engines, threads, spec.command());

    int rounds = Math.min(ROUNDS, spec.runs());
    int total = models.size() * (1 + methods.size() + engines.size() * spec.batchSizes().size() * rounds);
    Counter counter = new Counter(progress, total);
    List<SweepRow> rows = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    for (ModelSource.Loaded m : models) {
      IdxDataset eval = data == null || m.inputScale() == 1f ? data : data.scaled(m.inputScale());
      List<Config> configs = new ArrayList<>();
      configs.add(new Config(Method.DENSE, m.graph(), 0, accuracy(m.graph(), eval)));
      counter.step(m.name() + " / dense: evaluated");
      for (Method method : methods) {
        String label = m.name() + " / " + method.label();
        long start = System.nanoTime();
        Graph pruned;
        try {
          pruned = method.apply(m.graph().copy(), calibration, m);
        } catch (IllegalArgumentException | IllegalStateException e) {
          LOG.warn("skipping {}: {}", label, e.getMessage());
          skipped.put(label, e.getMessage());
          counter.step(label + ": skipped");
          continue;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        configs.add(new Config(method, pruned, seconds, accuracy(pruned, eval)));
        counter.step(label + ": pruned and evaluated");
      }
      List<List<LatencyResult>> latency = time(m, configs, engines, spec, rounds, counter);
      CostTotals dense = CostModel.of(m.graph(), 1).total();
      for (int i = 0; i < configs.size(); i++) {
        rows.add(row(m.name(), configs.get(i), dense, latency.get(i)));
      }
    }
    return new SweepResult(spec, env.finished(), rows, skipped);
  }

  /** A model configuration ready to be timed. */
  private record Config(Method method, Graph graph, double pruneSeconds, Double accuracy) {}

  private static Double accuracy(Graph g, IdxDataset eval) {
    return eval == null ? null : Accuracy.top1(g, eval, 500);
  }

  /**
   * Times every configuration of one model on every engine and batch size. All configurations of
   * an engine are loaded at once and timed in interleaved rounds (the start rotating each round), so
   * drifting machine load and JIT warm-up hit the baseline and the pruned models alike.
   *
   * @return per configuration, its latency results (engine-major, then batch size)
   */
  /** Warm-up passes per configuration are capped here even if the warm-up time has not been reached. */
  static final int MAX_WARMUP_RUNS = 2000;

  /**
   * Runs {@code warmup} untimed passes of every probe, then further passes of the probes in turn
   * until {@code minMillis} have been spent on the group (at most {@link #MAX_WARMUP_RUNS} per
   * probe). The configurations of one engine share its kernels, so the time is counted for the
   * group. A fixed count was not enough for the JIT: the sparse engine's Vector API kernels run
   * many times slower before C2 compiles them, and 5 passes of a 1 ms model end long before that
   * (the built-in MLP at 90%, batch 8: 0.374 ms after 5 warm-up passes, 0.18-0.23 ms after this).
   */
  static void warmUp(List<LatencyProbe> probes, Tensor input, int warmup, double minMillis) {
    long start = System.nanoTime();
    for (LatencyProbe p : probes) {
      p.timeMillis(input, warmup, 0);
    }
    for (int i = 0; i < MAX_WARMUP_RUNS && (System.nanoTime() - start) / 1e6 < minMillis; i++) {
      for (LatencyProbe p : probes) {
        p.timeMillis(input, 1, 0);
      }
    }
  }

  private static List<List<LatencyResult>> time(ModelSource.Loaded m, List<Config> configs, List<Engine> engines,
      SweepSpec spec, int rounds, Counter counter) {
    int n = configs.size();
    List<List<LatencyResult>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    for (Engine e : engines) {
      List<LatencyProbe> probes = new ArrayList<>();
      try {
        for (Config c : configs) {
          probes.add(e.open(c.graph(), spec.threads()));
        }
        for (int b : spec.batchSizes()) {
          Tensor input = randomInput(m.graph().inputs().get(0).sampleShape().withBatch(b), spec.seed() + b);
          warmUp(probes, input, spec.warmup(), spec.warmupMillis());
          double[][] samples = new double[n][spec.runs()];
          int filled = 0;
          for (int r = 0; r < rounds; r++) {
            int k = spec.runs() / rounds + (r < spec.runs() % rounds ? 1 : 0);
            for (int j = 0; j < n; j++) {
              int i = (j + r) % n;
              System.arraycopy(probes.get(i).timeMillis(input, 0, k), 0, samples[i], filled, k);
            }
            filled += k;
            counter.step(String.format(Locale.ROOT, "%s: %s batch %d, round %d of %d", m.name(), e.name(), b, r + 1,
                rounds));
          }
          double baseMedian = LatencyResult.median(samples[0]);
          for (int i = 0; i < n; i++) {
            double median = LatencyResult.median(samples[i]);
            out.get(i).add(new LatencyResult(e.name(), b, median, LatencyResult.p90(samples[i]), baseMedian / median));
          }
        }
      } finally {
        for (LatencyProbe p : probes) {
          p.close();
        }
      }
    }
    return out;
  }

  private static SweepRow row(String model, Config cfg, CostTotals dense, List<LatencyResult> latency) {
    CostTotals c = CostModel.of(cfg.graph(), 1).total();
    double achieved = dense.nonZeroParams() == 0 ? 0 : 1.0 - (double) c.nonZeroParams() / dense.nonZeroParams();
    double macsFraction = dense.effectiveMacs() == 0 ? 1 : (double) c.effectiveMacs() / dense.effectiveMacs();
    Method method = cfg.method();
    return new SweepRow(model, method.name(), method.kind(), method.target(), achieved, c.params(), c.nonZeroParams(),
        c.macs(), c.effectiveMacs(), macsFraction, cfg.accuracy(), cfg.pruneSeconds(), latency);
  }

  /**
   * Checks that {@code graph} has exactly one input and one output (what the engines time).
   *
   * @throws IllegalArgumentException otherwise
   */
  public static void requireSingleInputOutput(Graph graph) {
    if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
      throw new IllegalArgumentException("the bench harness needs models with one input and one output; this one has "
          + graph.inputs().size() + " input(s) " + graph.inputs().stream().map(i -> i.name()).toList() + " and "
          + graph.outputs().size() + " output(s) " + graph.outputs());
    }
  }

  /** Sets DJL's PyTorch thread count if still unset; returns a description of the thread settings. */
  private static String applyThreads(int threads) {
    if (threads > 0 && System.getProperty(DJL_THREADS) == null) {
      System.setProperty(DJL_THREADS, Integer.toString(threads));
    }
    String djl = System.getProperty(DJL_THREADS, "PyTorch default");
    return "djl: " + djl + " (-D" + DJL_THREADS + "); other engines: "
        + (threads > 0 ? threads + " intra-op" : "their defaults");
  }

  private static Tensor randomInput(Shape shape, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) rng.nextDouble();
    }
    return new Tensor(shape, d);
  }

  /** Counts steps and tells the listener. */
  private static final class Counter {
    private final SweepProgress progress;
    private final int total;
    private int done;

    Counter(SweepProgress progress, int total) {
      this.progress = progress;
      this.total = total;
    }

    void step(String what) {
      progress.update(++done, total, what);
    }
  }
}
