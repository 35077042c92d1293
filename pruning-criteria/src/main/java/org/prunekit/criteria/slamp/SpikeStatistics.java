package org.prunekit.criteria.slamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.snn.TemporalLayout;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Targets;

/**
 * Calibration statistics for SLAMP (spec 3.6): for each watched layer, the per-step sum over
 * samples of the L2 norm of the layer's input at that step, {@code sum_n ||s_{l-1}[t]||_2} (the
 * norm over all of one sample's input elements at step {@code t}), and the sample count. Inputs are
 * time-folded {@code [T*B, ...]} (see {@link org.prunekit.core.graph.op.Lif}); {@code T} per layer
 * comes from {@link TemporalLayout}. Streamed: only {@code T} doubles per layer are kept.
 *
 * <p>Use it as an {@link ExecutionHook} on any run ({@link GraphExecutor#forward}, a {@code
 * GraphBlock}), or let {@link #calibrate} run the batches. Not thread-safe.
 */
public final class SpikeStatistics implements ExecutionHook {
  private final Graph graph;
  private final TemporalLayout layout;
  private final Map<String, double[]> normSums = new LinkedHashMap<>();
  private final Map<String, Long> samples = new LinkedHashMap<>();

  /**
   * Watches the given layers of {@code graph}.
   *
   * @throws IllegalArgumentException for an unknown node or an inconsistent time layout
   */
  public SpikeStatistics(Graph graph, Set<String> layers) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.layout = TemporalLayout.of(graph);
    for (String l : layers) {
      Node n = graph.node(l);
      normSums.put(l, new double[layout.timesteps(n.inputs().get(0))]);
      samples.put(l, 0L);
    }
  }

  /** Watches the layers owning the target parameters. */
  public static SpikeStatistics forTargets(Graph graph, Targets targets) {
    Set<String> nodes = new LinkedHashSet<>();
    for (Parameter p : targets.resolve(graph)) {
      nodes.add(p.nodeName());
    }
    return new SpikeStatistics(graph, nodes);
  }

  /**
   * Runs {@code batches} (one tensor each, for a single-input graph) through {@code graph} in
   * inference mode and collects the statistics of the target layers.
   *
   * @throws IllegalArgumentException if there is no batch, or as {@link GraphExecutor#predict}
   */
  public static SpikeStatistics calibrate(Graph graph, Targets targets, Iterable<Tensor> batches) {
    SpikeStatistics stats = forTargets(graph, targets);
    int n = 0;
    try (GraphExecutor ex = GraphExecutor.create(graph)) {
      for (Tensor b : batches) {
        try (NDManager m = ex.manager().newSubManager()) {
          NDList out = ex.forward(new NDList(org.prunekit.core.tensor.TensorConversions.toDjl(m, b)), List.of(stats));
          out.close();
        }
        n++;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("SLAMP calibration needs at least one batch, got none");
    }
    return stats;
  }

  @Override
  public void onInputs(Node node, NDList inputs) {
    double[] sums = normSums.get(node.name());
    if (sums == null || graph.node(node.name()) != node) {
      return;
    }
    int steps = sums.length;
    NDArray x = inputs.get(0);
    long rows = x.getShape().get(0);
    if (rows % steps != 0) {
      throw new IllegalArgumentException("layer '" + node.name() + "': input " + x.getShape() + " does not fold "
          + steps + " time steps into its first axis");
    }
    long batch = rows / steps;
    try (NDManager scope = x.getManager().newSubManager()) {
      scope.tempAttachAll(x);
      NDArray perSample = x.toType(DataType.FLOAT64, false).reshape(steps, batch, -1).square()
          .sum(new int[] {2}).sqrt().sum(new int[] {1});
      double[] v = perSample.toDoubleArray();
      for (int t = 0; t < steps; t++) {
        if (!Double.isFinite(v[t])) {
          throw new IllegalArgumentException("layer '" + node.name() + "': input at step " + (t + 1) + " holds "
              + v[t] + " (NaN or infinite activations)");
        }
      }
      for (int t = 0; t < steps; t++) {
        sums[t] += v[t];
      }
      samples.merge(node.name(), batch, Long::sum);
    }
  }

  /** The watched layers, in the order given. */
  public Set<String> layers() {
    return Collections.unmodifiableSet(normSums.keySet());
  }

  /** T of a watched layer's input. */
  public int timesteps(String layer) {
    return sums(layer).length;
  }

  /** Samples seen by a watched layer. */
  public long samples(String layer) {
    sums(layer);
    return samples.get(layer);
  }

  /**
   * {@code m_t}, the mean over samples of the input's L2 norm at each step.
   *
   * @throws IllegalArgumentException if the layer is not watched or saw no sample
   */
  public double[] meanNorms(String layer) {
    double[] s = sums(layer);
    long n = samples.get(layer);
    if (n == 0) {
      throw new IllegalArgumentException("layer '" + layer + "' saw no calibration sample; run the graph with this "
          + "hook (or SpikeStatistics.calibrate) first");
    }
    double[] m = new double[s.length];
    for (int t = 0; t < s.length; t++) {
      m[t] = s[t] / n;
    }
    return m;
  }

  private double[] sums(String layer) {
    double[] s = normSums.get(layer);
    if (s == null) {
      throw new IllegalArgumentException("layer '" + layer + "' is not watched; watched: " + normSums.keySet());
    }
    return s;
  }
}
