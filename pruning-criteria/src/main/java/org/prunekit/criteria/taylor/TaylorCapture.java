package org.prunekit.criteria.taylor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.GradientCapture;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Runs calibration batches through a graph on the DJL engine and feeds {@link TaylorImportance}
 * and {@link AgfUtility} for chosen nodes: each batch is one inference-mode forward pass with an
 * {@link ExecutionHook} copying the nodes' outputs (the activations {@code A}) and one {@link
 * GradientCapture} pass for the loss gradients at those outputs ({@code G}). The graph is not
 * changed.
 *
 * <pre>{@code
 * try (TaylorCapture c = TaylorCapture.of(graph, Loss.softmaxCrossEntropyLoss(),
 *     Map.of("conv1", UnitLayout.channels(), "fc1", UnitLayout.neurons()))) {
 *   for (Batch b : calibration) c.add(b.getData(), b.getLabels());
 *   Map<String, double[]> taylor = c.taylorScores(), agf = c.agfUtilities();
 * }
 * }</pre>
 *
 * <p>Nodes run in inference mode in both passes, so batch norm uses running statistics and samples
 * do not interact (what {@link AgfUtility}'s per-sample gradients need). Owns native memory: close
 * it.
 */
public final class TaylorCapture implements AutoCloseable {
  private final Graph graph;
  private final Map<String, UnitLayout> nodes;
  private final GradientCapture gradients;
  private final GraphExecutor executor;
  private final Map<String, TaylorImportance> taylor = new LinkedHashMap<>();
  private final Map<String, AgfUtility> agf = new LinkedHashMap<>();

  private TaylorCapture(Graph graph, Loss loss, Map<String, UnitLayout> nodes, AgfUtility.LossReduction reduction) {
    this.graph = graph;
    this.nodes = nodes;
    for (Map.Entry<String, UnitLayout> e : nodes.entrySet()) {
      taylor.put(e.getKey(), new TaylorImportance(e.getKey(), e.getValue()));
      agf.put(e.getKey(), new AgfUtility(e.getKey(), e.getValue(), reduction));
    }
    this.gradients = GradientCapture.of(graph, loss);
    GraphExecutor ex;
    try {
      ex = GraphExecutor.create(graph);
    } catch (RuntimeException e) {
      gradients.close();
      throw e;
    }
    this.executor = ex;
  }

  /**
   * A capture for a batch-mean loss (DJL's losses).
   *
   * @param nodes the nodes to score and how their outputs group into units, in iteration order
   * @throws IllegalArgumentException naming a node that is not in the graph, or if none is given
   */
  public static TaylorCapture of(Graph graph, Loss loss, Map<String, UnitLayout> nodes) {
    return of(graph, loss, nodes, AgfUtility.LossReduction.MEAN);
  }

  /**
   * A capture; {@code reduction} says how {@code loss} combines a batch (see {@link AgfUtility}).
   *
   * @throws IllegalArgumentException naming a node that is not in the graph, or if none is given
   */
  public static TaylorCapture of(Graph graph, Loss loss, Map<String, UnitLayout> nodes,
      AgfUtility.LossReduction reduction) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(reduction, "reduction");
    if (Objects.requireNonNull(nodes, "nodes").isEmpty()) {
      throw new IllegalArgumentException("no nodes to score");
    }
    for (String n : nodes.keySet()) {
      graph.node(n);
    }
    return new TaylorCapture(graph, loss, new LinkedHashMap<>(nodes), reduction);
  }

  /**
   * Adds one calibration batch to every node's Taylor importance and AGF utility. All nodes'
   * values are computed and validated before any accumulator changes.
   *
   * @param inputs one array per graph input (not closed)
   * @param labels the labels the loss compares with (not closed)
   * @return the batch's loss
   * @throws IllegalArgumentException naming the node on an empty batch or a NaN/Inf activation or
   *     gradient; nothing is added then
   */
  public float add(NDList inputs, NDList labels) {
    executor.refreshParameters();
    Map<String, Tensor> acts = new LinkedHashMap<>();
    ExecutionHook tap = new ExecutionHook() {
      @Override
      public NDArray onOutput(Node node, NDArray output) {
        if (nodes.containsKey(node.name())) {
          acts.put(node.name(), TensorConversions.fromDjl(output));
        }
        return output;
      }
    };
    NDList out = executor.forward(inputs, List.of(tap));
    out.close();
    GradientCapture.Gradients g = gradients.compute(inputs, labels, nodes.keySet());
    Map<String, double[][]> per = new LinkedHashMap<>();
    for (Map.Entry<String, UnitLayout> e : nodes.entrySet()) {
      String n = e.getKey();
      per.put(n, FeatureTaylor.perSampleInnerProducts(n, acts.get(n), g.activations().get(n), e.getValue()));
    }
    for (Map.Entry<String, double[][]> e : per.entrySet()) {
      double[][] p = e.getValue();
      double[] gate = new double[p[0].length];
      for (double[] row : p) {
        for (int u = 0; u < gate.length; u++) {
          gate[u] += row[u];
        }
      }
      taylor.get(e.getKey()).addGateGradients(gate);
      AgfUtility a = agf.get(e.getKey());
      if (a.reduction() == AgfUtility.LossReduction.MEAN) {
        for (double[] row : p) {
          for (int u = 0; u < row.length; u++) {
            row[u] *= p.length;
          }
        }
      }
      a.addSampleInnerProducts(p);
    }
    return g.loss();
  }

  /** The Taylor accumulator of {@code node}. */
  public TaylorImportance taylor(String node) {
    return require(taylor, node);
  }

  /** The AGF accumulator of {@code node}. */
  public AgfUtility agf(String node) {
    return require(agf, node);
  }

  /** {@link TaylorImportance#scores()} per node. */
  public Map<String, double[]> taylorScores() {
    Map<String, double[]> out = new LinkedHashMap<>();
    taylor.forEach((k, v) -> out.put(k, v.scores()));
    return out;
  }

  /** {@link AgfUtility#utilities()} per node. */
  public Map<String, double[]> agfUtilities() {
    Map<String, double[]> out = new LinkedHashMap<>();
    agf.forEach((k, v) -> out.put(k, v.utilities()));
    return out;
  }

  /** The graph this capture runs. */
  public Graph graph() {
    return graph;
  }

  @Override
  public void close() {
    try {
      executor.close();
    } finally {
      gradients.close();
    }
  }

  private static <T> T require(Map<String, T> m, String node) {
    T t = m.get(node);
    if (t == null) {
      throw new IllegalArgumentException("node '" + node + "' is not captured; captured: " + m.keySet());
    }
    return t;
  }
}
