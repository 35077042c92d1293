package org.prunekit.bench.harness;

import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.LibraryVersions;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.sparse.SparseGraphRunner;
import org.prunekit.sparse.VectorSupport;

/**
 * PruneKit's own sparse CPU kernels ({@code pruning-sparse}): every Linear and 1x1 convolution runs
 * from its compressed (CSR, 16-bit indices) masked weights, so unstructured sparsity becomes fewer
 * multiply-accumulates and fewer bytes read. Graphs with ops the sparse runner has no kernel for
 * (3x3 convolutions, pooling, attention) are refused at {@link #open}, and the harness records the
 * engine as skipped for that model.
 *
 * <p>The kernels use the Java Vector API when the JVM was started with {@code --add-modules
 * jdk.incubator.vector} (the {@code prunekit} launcher does), scalar loops otherwise; {@link
 * #description()} says which.
 */
public final class SparseEngine implements Engine {
  /** The registry name. */
  public static final String NAME = "sparse";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "PruneKit sparse kernels " + version() + " ("
        + (VectorSupport.available() ? "Vector API, " + VectorSupport.preferredLanes() + " float lanes" : "scalar")
        + ")";
  }

  @Override
  public String version() {
    return LibraryVersions.prunekit();
  }

  @Override
  public LatencyProbe open(Graph graph, int threads) {
    Harness.requireSingleInputOutput(graph);
    SparseGraphRunner.Builder b = SparseGraphRunner.builder().setGraph(graph);
    try {
      return new Probe((threads > 0 ? b.optThreads(threads) : b).build());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("engine '" + NAME + "' cannot run this model: " + e.getMessage()
          + " (the sparse engine runs graphs of Linear, 1x1 Conv, activations, Add, GlobalPool and Flatten)", e);
    }
  }

  private static final class Probe implements LatencyProbe {
    private final SparseGraphRunner runner;

    Probe(SparseGraphRunner runner) {
      this.runner = runner;
    }

    @Override
    public double[] timeMillis(Tensor input, int warmup, int runs) {
      for (int i = 0; i < warmup; i++) {
        runner.predict(input);
      }
      double[] t = new double[runs];
      for (int i = 0; i < runs; i++) {
        long s = System.nanoTime();
        runner.predict(input);
        t[i] = (System.nanoTime() - s) / 1e6;
      }
      return t;
    }

    @Override
    public void close() {
      runner.close();
    }
  }
}
