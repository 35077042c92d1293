package org.prunekit.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;

/** A registered engine is found by name and used by the harness for every configuration. */
class EnginesTest {
  /** Delegates to DJL and counts what the harness asks of it. */
  static final class CountingEngine implements Engine {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger timedRuns = new AtomicInteger();
    final AtomicInteger warmupRuns = new AtomicInteger();

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public String description() {
      return "counting wrapper around DJL";
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    public LatencyProbe open(Graph graph, int threads) {
      opened.incrementAndGet();
      LatencyProbe inner = new DjlEngine().open(graph, threads);
      return new LatencyProbe() {
        @Override
        public double[] timeMillis(Tensor input, int warmup, int runs) {
          timedRuns.addAndGet(runs);
          warmupRuns.addAndGet(warmup);
          return inner.timeMillis(input, warmup, runs);
        }

        @Override
        public void close() {
          inner.close();
        }
      };
    }
  }

  @Test
  void registeredEngineRunsEveryConfiguration() throws Exception {
    CountingEngine engine = new CountingEngine();
    Engines.register(engine);
    assertTrue(Engines.names().containsAll(List.of("counting", "djl", "ort")), Engines.names().toString());
    SweepResult r = Harness.run(SweepSpec.builder().setModels(List.of("demo-cnn"))
        .optUnstructured(List.of("magnitude"), List.of(0.5)).optEngines(List.of("Counting"))
        .optBatchSizes(List.of(1, 2)).optRuns(1, 7).optWarmupMillis(100).build(), SweepProgress.none());
    assertEquals(2, engine.opened.get(), "dense and magnitude 0.5, each opened once");
    assertEquals(2 * 2 * 7, engine.timedRuns.get(), "2 configurations x 2 batch sizes x 7 timed runs");
    // 1 requested warm-up pass per configuration, then more until 100 ms per batch size have passed
    // (a demo-cnn pass takes a few ms, so many more than the 2 x 2 requested).
    assertTrue(engine.warmupRuns.get() > 2 * 2 * 4, "warm-up passes: " + engine.warmupRuns.get());
    assertEquals("counting", r.rows().get(1).latency().get(0).engine());
    assertEquals("counting wrapper around DJL", r.environment().versions().get("engine counting"));
  }
}
