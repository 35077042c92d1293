package org.prunekit.bench.harness;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.LibraryVersions;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * DJL PyTorch through PruneKit's graph interpreter ({@link GraphExecutor}); masked weights are
 * multiplied out, so dense kernels run on zeros. The thread count is fixed when the PyTorch engine
 * starts ({@code -Dai.djl.pytorch.num_threads}); {@link Harness} sets that property from the sweep's
 * thread count when it is still unset.
 */
public final class DjlEngine implements Engine {
  /** The registry name. */
  public static final String NAME = "djl";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "DJL " + version() + " PyTorch (graph interpreter)";
  }

  @Override
  public String version() {
    return LibraryVersions.djl();
  }

  @Override
  public LatencyProbe open(Graph graph, int threads) {
    Harness.requireSingleInputOutput(graph);
    return new Probe(GraphExecutor.create(graph));
  }

  private static final class Probe implements LatencyProbe {
    private final GraphExecutor executor;

    Probe(GraphExecutor executor) {
      this.executor = executor;
    }

    @Override
    public double[] timeMillis(Tensor input, int warmup, int runs) {
      double[] t = new double[runs];
      try (NDManager call = executor.manager().newSubManager()) {
        NDArray x = TensorConversions.toDjl(call, input);
        NDList in = new NDList(x);
        for (int i = 0; i < warmup; i++) {
          executor.forward(in, List.of()).close();
        }
        for (int i = 0; i < runs; i++) {
          long s = System.nanoTime();
          executor.forward(in, List.of()).close();
          t[i] = (System.nanoTime() - s) / 1e6;
        }
      }
      return t;
    }

    @Override
    public void close() {
      executor.close();
    }
  }
}
