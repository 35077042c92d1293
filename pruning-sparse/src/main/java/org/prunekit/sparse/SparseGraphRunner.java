package org.prunekit.sparse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole (masked) graph for inference on the CPU with the sparse kernels.
 *
 * <p>Every {@link Linear} node and every 1x1 {@link Conv} (stride 1, no padding, one group)
 * becomes a {@link SparseLinear} built from its weight and mask (CSR); activations, {@link Add},
 * {@link GlobalPool}, {@link Flatten}, {@link Reshape}, {@link Dropout} (inference: identity) and
 * {@link Identity} run in plain Java. Any other op is rejected when the runner is created, naming
 * the node: run such graphs on {@code GraphExecutor} (DJL) instead.
 *
 * <p>The weights are compressed once at creation (a snapshot: later changes to the graph's
 * parameters or masks are not seen). All layers share one worker team, closed by
 * {@link #close()}. Instances are safe for concurrent {@code predict} calls.
 */
public final class SparseGraphRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparseGraphRunner.class);

  private final Graph graph;
  private final Map<String, SparseLinear> layers;
  private final WorkerTeam team;
  /**
   * Per calling thread, one output buffer per node, reused by later calls with the same shapes:
   * fresh arrays per call cost page faults on every new heap page (see {@link SparseLinear}).
   */
  private final ThreadLocal<Map<String, float[]>> scratch = ThreadLocal.withInitial(HashMap::new);

  private SparseGraphRunner(Graph graph, Map<String, SparseLinear> layers, WorkerTeam team) {
    this.graph = graph;
    this.layers = layers;
    this.team = team;
  }

  /** A runner with default settings (2 threads, automatic kernel choice). */
  public static SparseGraphRunner create(Graph graph) {
    return builder().setGraph(graph).build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The graph this runner was built from. */
  public Graph graph() {
    return graph;
  }

  /** The sparse layer built for node {@code name}, or {@code null} if that node is not one. */
  public SparseLinear layer(String name) {
    return layers.get(name);
  }

  /** Runs a graph with one input and one output. */
  public Tensor predict(Tensor input) {
    if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
      throw new IllegalArgumentException("predict(Tensor) needs a graph with one input and one output; this one has "
          + graph.inputs().size() + " input(s) and " + graph.outputs().size() + " output(s)");
    }
    return predict(new Tensor[] {input})[0];
  }

  /**
   * Runs the graph, one tensor per graph input (batch first).
   *
   * @return one tensor per graph output, in {@link Graph#outputs()} order
   * @throws IllegalArgumentException naming the input whose count or shape does not fit
   */
  public Tensor[] predict(Tensor... inputs) {
    List<InputSpec> specs = graph.inputs();
    if (inputs.length != specs.size()) {
      throw new IllegalArgumentException("graph takes " + specs.size() + " input(s), got " + inputs.length);
    }
    Map<String, Shape> inShapes = new HashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      Shape s = inputs[i].shape();
      if (s.rank() < 1 || !s.dropFirst().equals(specs.get(i).sampleShape())) {
        throw new IllegalArgumentException("input '" + specs.get(i).name() + "' has shape " + s
            + ", expected [batch] + " + specs.get(i).sampleShape());
      }
      inShapes.put(specs.get(i).name(), s);
    }
    Map<String, Shape> shapes = graph.inferShapes(inShapes);
    Map<String, float[]> values = new HashMap<>();
    Map<String, float[]> buffers = scratch.get();
    for (int i = 0; i < inputs.length; i++) {
      values.put(specs.get(i).name(), inputs[i].data());
    }
    for (Node node : graph.nodes()) {
      float[] x = values.get(node.inputs().get(0));
      Shape xs = shapes.get(node.inputs().get(0));
      Shape ys = shapes.get(node.name());
      values.put(node.name(), run(node, x, xs, ys, values, buffers));
    }
    Tensor[] out = new Tensor[graph.outputs().size()];
    for (int i = 0; i < out.length; i++) {
      String name = graph.outputs().get(i);
      out[i] = new Tensor(shapes.get(name), values.get(name).clone());
    }
    return out;
  }

  /** This thread's output buffer of {@code node}, exactly {@code size} floats (reused across calls). */
  private static float[] buffer(Map<String, float[]> buffers, Node node, long size) {
    float[] b = buffers.get(node.name());
    if (b == null || b.length != size) {
      b = new float[Math.toIntExact(size)];
      buffers.put(node.name(), b);
    }
    return b;
  }

  private float[] run(Node node, float[] x, Shape xs, Shape ys, Map<String, float[]> values,
      Map<String, float[]> buffers) {
    Op op = node.op();
    if (op instanceof Linear l) {
      int rows = (int) (xs.size() / l.inFeatures());
      float[] y = buffer(buffers, node, ys.size());
      layers.get(node.name()).forward(x, rows, y);
      return y;
    }
    if (op instanceof Conv c) {
      int pixels = (int) xs.sizeFrom(2);
      int n = xs.get(0);
      float[] y = buffer(buffers, node, ys.size());
      SparseLinear layer = layers.get(node.name());
      for (int b = 0; b < n; b++) {
        layer.forwardChannels(x, b * c.inChannels() * pixels, pixels, y, b * c.outChannels() * pixels);
      }
      return y;
    }
    if (op instanceof Activation a) {
      return PlainOps.activation(a, x, xs, buffer(buffers, node, ys.size()));
    }
    if (op instanceof Add) {
      float[][] xsArr = new float[node.inputs().size()][];
      for (int i = 0; i < xsArr.length; i++) {
        xsArr[i] = values.get(node.inputs().get(i));
      }
      return PlainOps.add(xsArr, buffer(buffers, node, ys.size()));
    }
    if (op instanceof GlobalPool g) {
      return PlainOps.globalPool(g, x, xs, buffer(buffers, node, ys.size()));
    }
    // Flatten, Reshape, Dropout (inference) and Identity keep the row-major data as it is.
    return x;
  }

  /** Stops the shared worker team. */
  @Override
  public void close() {
    if (team != null) {
      team.close();
    }
  }

  /** Why {@code node} cannot run here, or {@code null} if it can. */
  static String unsupported(Node node) {
    Op op = node.op();
    if (op instanceof Conv c) {
      for (int i = 0; i < c.spatialDims(); i++) {
        if (c.kernel()[i] != 1 || c.stride()[i] != 1 || c.padding().begin()[i] != 0 || c.padding().end()[i] != 0) {
          return "only 1x1 convolutions with stride 1 and no padding run sparse, got " + c;
        }
      }
      return c.groups() == 1 ? null : "grouped 1x1 convolutions are not supported, got groups " + c.groups();
    }
    if (op instanceof Linear || op instanceof Activation || op instanceof Add || op instanceof GlobalPool
        || op instanceof Flatten || op instanceof Reshape || op instanceof Dropout || op instanceof Identity) {
      return null;
    }
    return "op type '" + op.type() + "' has no sparse/plain-Java kernel; run this graph on GraphExecutor";
  }

  /** Builds a {@link SparseGraphRunner}. */
  public static final class Builder {
    private Graph graph;
    private int threads = 2;
    private KernelMode kernel = KernelMode.AUTO;

    private Builder() {}

    /** The graph to run (its current weights and masks are compressed at {@link #build()}). */
    public Builder setGraph(Graph g) {
      this.graph = Objects.requireNonNull(g, "graph");
      return this;
    }

    /** Threads for the sparse layers (default 2). */
    public Builder optThreads(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + count);
      }
      this.threads = count;
      return this;
    }

    /** Kernel family (default {@link KernelMode#AUTO}). */
    public Builder optKernel(KernelMode mode) {
      this.kernel = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Checks every node, then compresses the weights.
     *
     * @throws IllegalArgumentException naming the first node that cannot run sparse
     */
    public SparseGraphRunner build() {
      Objects.requireNonNull(graph, "graph (setGraph)");
      for (Node n : graph.nodes()) {
        String why = unsupported(n);
        if (why != null) {
          throw new IllegalArgumentException("node '" + n.name() + "': " + why);
        }
      }
      VectorSupport.resolve(kernel);
      WorkerTeam team = threads > 1 ? new WorkerTeam(threads) : null;
      Map<String, SparseLinear> layers = new LinkedHashMap<>();
      try {
        for (Node n : graph.nodes()) {
          if (n.op() instanceof Linear || n.op() instanceof Conv) {
            SparseLinear.Builder b = SparseLinear.builder().setWeight(n.param("weight")).optBias(n.param("bias"))
                .optKernel(kernel);
            b = team != null ? b.optTeam(team) : b;
            layers.put(n.name(), b.build());
          }
        }
      } catch (RuntimeException e) {
        if (team != null) {
          team.close();
        }
        throw e;
      }
      List<String> names = new ArrayList<>(layers.keySet());
      LOG.debug("sparse graph runner: {} sparse layer(s) {}, {} thread(s)", names.size(), names, threads);
      return new SparseGraphRunner(graph, layers, team);
    }
  }
}
