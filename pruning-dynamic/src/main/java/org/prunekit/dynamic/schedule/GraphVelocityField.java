package org.prunekit.dynamic.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.dynamic.InferenceCost;

/**
 * A conditional MLP velocity field on the DJL engine, split at node {@value #TRUNK_OUTPUT} into a
 * cacheable trunk and a head, with a pruned and a full copy.
 *
 * <p>Architecture ({@link #buildGraph}): input {@code z = [x (d), t, one-hot class (K + 1, the
 * last slot is the unconditional null class)]} → {@code fc1} (H) → relu → {@code fc2} (H) → relu
 * {@code "h"} (the trunk's output, the cacheable features) → concat({@code h}, {@code z}) → {@code
 * out} (d). The head is the concat and {@code out}: it always sees the current state and time, so
 * reusing stale trunk features still gives a state-dependent velocity (like FlashU's
 * time-conditioned {@code diffusion_head_b}).
 *
 * <p>{@link #of} splits a full and a pruned graph of this architecture (e.g. the full graph
 * structurally pruned, widths of {@code fc1}, {@code fc2} reduced) into four executors. Owns native
 * memory: close it.
 */
public final class GraphVelocityField implements SplitVelocityField, AutoCloseable {
  /** The node whose output the cache holds. */
  public static final String TRUNK_OUTPUT = "h";

  private final int dim;
  private final int classes;
  private final Map<NetworkChoice, GraphExecutor> trunks;
  private final Map<NetworkChoice, GraphExecutor> heads;
  private final Map<NetworkChoice, InferenceCost> trunkCosts;
  private final Map<NetworkChoice, InferenceCost> headCosts;

  private GraphVelocityField(int dim, int classes, Map<NetworkChoice, Graph[]> parts) {
    this.dim = dim;
    this.classes = classes;
    this.trunks = new java.util.EnumMap<>(NetworkChoice.class);
    this.heads = new java.util.EnumMap<>(NetworkChoice.class);
    this.trunkCosts = new java.util.EnumMap<>(NetworkChoice.class);
    this.headCosts = new java.util.EnumMap<>(NetworkChoice.class);
    try {
      for (Map.Entry<NetworkChoice, Graph[]> e : parts.entrySet()) {
        trunkCosts.put(e.getKey(), cost(e.getValue()[0]));
        headCosts.put(e.getKey(), cost(e.getValue()[1]));
        trunks.put(e.getKey(), GraphExecutor.create(e.getValue()[0]));
        heads.put(e.getKey(), GraphExecutor.create(e.getValue()[1]));
      }
    } catch (RuntimeException ex) {
      close();
      throw ex;
    }
  }

  /**
   * A new, untrained graph of the architecture above.
   *
   * @param dim state dimension {@code d}
   * @param classes number of conditions {@code K}
   * @param hidden hidden width {@code H}
   * @param seed initialisation seed
   */
  public static Graph buildGraph(int dim, int classes, int hidden, long seed) {
    return GraphBuilder.create(seed).input("z", inputWidth(dim, classes))
        .linear("fc1", hidden).relu().linear("fc2", hidden)
        .node(TRUNK_OUTPUT, Activation.of(Activation.Kind.RELU), "fc2")
        .concat("hz", TRUNK_OUTPUT, "z").linear("out", dim).build();
  }

  /** Width of the network input {@code z}: {@code d + 1 + K + 1}. */
  public static int inputWidth(int dim, int classes) {
    return dim + 1 + classes + 1;
  }

  /**
   * Encodes states, a time and classes as network inputs {@code z [n, d + 1 + K + 1]}.
   *
   * @throws IllegalArgumentException if a class is outside {@code [-1, K)}
   */
  public static Tensor encode(Tensor x, double t, int[] cls, int dim, int classes) {
    int n = cls.length;
    int w = inputWidth(dim, classes);
    float[] z = new float[n * w];
    float[] xs = x.data();
    for (int i = 0; i < n; i++) {
      if (cls[i] < -1 || cls[i] >= classes) {
        throw new IllegalArgumentException("class " + cls[i] + " of row " + i + " is not in [-1, " + classes + ")");
      }
      System.arraycopy(xs, i * dim, z, i * w, dim);
      z[i * w + dim] = (float) t;
      z[i * w + dim + 1 + (cls[i] < 0 ? classes : cls[i])] = 1f;
    }
    return new Tensor(new Shape(n, w), z);
  }

  /**
   * Splits {@code full} and {@code pruned} (both of the {@link #buildGraph} architecture, the pruned
   * one possibly narrower) into trunks and heads on the engine.
   *
   * @throws IllegalArgumentException naming the graph if it lacks node {@value #TRUNK_OUTPUT}, input
   *     {@code z} of the right width, or output width {@code dim}
   */
  public static GraphVelocityField of(Graph full, Graph pruned, int dim, int classes) {
    Map<NetworkChoice, Graph[]> parts = new java.util.EnumMap<>(NetworkChoice.class);
    parts.put(NetworkChoice.FULL, split(Objects.requireNonNull(full, "full"), "full", dim, classes));
    parts.put(NetworkChoice.PRUNED, split(Objects.requireNonNull(pruned, "pruned"), "pruned", dim, classes));
    return new GraphVelocityField(dim, classes, parts);
  }

  static Graph[] split(Graph g, String which, int dim, int classes) {
    if (!g.hasNode(TRUNK_OUTPUT) || g.inputs().size() != 1 || !g.inputs().get(0).name().equals("z")
        || g.inputs().get(0).sampleShape().get(0) != inputWidth(dim, classes)) {
      throw new IllegalArgumentException(which + " velocity graph must have input z [" + inputWidth(dim, classes)
          + "] and node '" + TRUNK_OUTPUT + "'");
    }
    Graph c = g.copy();
    Map<String, Shape> shapes = c.inferShapes(1);
    Shape out = shapes.get(c.outputs().get(0));
    if (out.rank() != 2 || out.get(1) != dim) {
      throw new IllegalArgumentException(which + " velocity graph outputs " + out + ", expected [n, " + dim + "]");
    }
    List<Node> trunk = new ArrayList<>();
    List<Node> head = new ArrayList<>();
    boolean inTrunk = true;
    for (Node n : c.nodes()) {
      (inTrunk ? trunk : head).add(n);
      if (n.name().equals(TRUNK_OUTPUT)) {
        inTrunk = false;
      }
    }
    Graph t = new Graph(c.inputs(), trunk, List.of(TRUNK_OUTPUT));
    Graph h = new Graph(List.of(new InputSpec(TRUNK_OUTPUT, shapes.get(TRUNK_OUTPUT).dropFirst()), c.inputs().get(0)),
        head, c.outputs());
    return new Graph[] {t, h};
  }

  private static InferenceCost cost(Graph g) {
    CostTotals c = CostModel.of(g, 1).total();
    return InferenceCost.of(c.macs(), c.bytesAccessed(), 1);
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public Tensor trunk(NetworkChoice network, Tensor x, double t, int[] cls) {
    return trunks.get(network).predict(encode(x, t, cls, dim, classes));
  }

  @Override
  public Tensor head(NetworkChoice network, Tensor features, Tensor x, double t, int[] cls) {
    return heads.get(network).predict(features, encode(x, t, cls, dim, classes))[0];
  }

  @Override
  public InferenceCost trunkCost(NetworkChoice network) {
    return trunkCosts.get(network);
  }

  @Override
  public InferenceCost headCost(NetworkChoice network) {
    return headCosts.get(network);
  }

  @Override
  public void close() {
    for (GraphExecutor e : trunks.values()) {
      e.close();
    }
    for (GraphExecutor e : heads.values()) {
      e.close();
    }
  }
}
