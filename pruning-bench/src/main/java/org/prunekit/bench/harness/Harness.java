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
 * Runs a {@link SweepSpec}. For every model the dense baseline is evaluated and timed first, then
 * every pruned configuration (each on a fresh copy of the model), on every engine and batch size,
 * with the same seeded random input per batch size; speed-ups are ratios to that baseline.
 *
 * <p>Everything is validated before the first measurement: engines, criteria, data, every model
 * (one input, one output, shapes that fit the data). A configuration whose pruning itself fails (for
 * example a MAC budget that a small model cannot reach) is recorded in {@link SweepResult#skipped()}
 * and the sweep goes on.
 */
public final class Harness {
  private static final Logger LOG = LoggerFactory.getLogger(Harness.class);
  private static final String DJL_THREADS = "ai.djl.pytorch.num_threads";

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

    int perConfig = 1 + engines.size() * spec.batchSizes().size();
    int total = models.size() * (1 + methods.size()) * perConfig;
    Counter counter = new Counter(progress, total);
    List<SweepRow> rows = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    for (ModelSource.Loaded m : models) {
      Map<Integer, Tensor> inputs = new LinkedHashMap<>();
      for (int b : spec.batchSizes()) {
        inputs.put(b, randomInput(m.graph().inputs().get(0).sampleShape().withBatch(b), spec.seed() + b));
      }
      IdxDataset eval = data == null || m.inputScale() == 1f ? data : data.scaled(m.inputScale());
      CostTotals dense = CostModel.of(m.graph(), 1).total();
      counter.step(m.name() + " / dense: costs");
      SweepRow base = measure(m.name(), Method.DENSE, 0, 0, m.graph(), dense, null, eval, engines, spec, inputs, counter);
      rows.add(base);
      for (Method method : methods) {
        String label = m.name() + " / " + method.label();
        long start = System.nanoTime();
        Graph pruned;
        try {
          pruned = method.apply(m.graph().copy(), calibration, m);
        } catch (IllegalArgumentException | IllegalStateException e) {
          LOG.warn("skipping {}: {}", label, e.getMessage());
          skipped.put(label, e.getMessage());
          counter.skip(perConfig, label + ": skipped");
          continue;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        counter.step(label + ": pruned");
        rows.add(measure(m.name(), method, seconds, method.target(), pruned, dense, base, eval, engines, spec, inputs,
            counter));
      }
    }
    return new SweepResult(spec, env.finished(), rows, skipped);
  }

  private static SweepRow measure(String model, Method method, double pruneSeconds, double target, Graph g,
      CostTotals dense, SweepRow base, IdxDataset eval, List<Engine> engines, SweepSpec spec,
      Map<Integer, Tensor> inputs, Counter counter) {
    String label = model + " / " + method.label();
    CostTotals c = CostModel.of(g, 1).total();
    Double accuracy = eval == null ? null : Accuracy.top1(g, eval, 500);
    List<LatencyResult> latency = new ArrayList<>();
    for (Engine e : engines) {
      try (LatencyProbe probe = e.open(g, spec.threads())) {
        for (int b : spec.batchSizes()) {
          double[] t = probe.timeMillis(inputs.get(b), spec.warmup(), spec.runs());
          double median = LatencyResult.median(t);
          double speedup = base == null ? 1.0 : base.latency(e.name(), b).medianMs() / median;
          latency.add(new LatencyResult(e.name(), b, median, LatencyResult.p90(t), speedup));
          counter.step(String.format(Locale.ROOT, "%s: %s batch %d %.3f ms", label, e.name(), b, median));
        }
      }
    }
    double achieved = dense.nonZeroParams() == 0 ? 0 : 1.0 - (double) c.nonZeroParams() / dense.nonZeroParams();
    double macsFraction = dense.effectiveMacs() == 0 ? 1 : (double) c.effectiveMacs() / dense.effectiveMacs();
    return new SweepRow(model, method.name(), method.kind(), target, achieved, c.params(), c.nonZeroParams(), c.macs(),
        c.effectiveMacs(), macsFraction, accuracy, pruneSeconds, latency);
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

    void skip(int steps, String what) {
      done += steps;
      progress.update(done, total, what);
    }
  }
}
