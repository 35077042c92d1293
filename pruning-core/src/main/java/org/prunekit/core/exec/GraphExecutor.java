package org.prunekit.core.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Inference on a {@link Graph} with the DJL PyTorch engine (CPU, offline).
 *
 * <p>The executor owns an {@link NDManager} holding a copy of every parameter, masked parameters
 * multiplied by their mask. After changing the graph's parameter values or masks, call {@link
 * #refreshParameters()}. Each {@link #predict} call runs in its own sub-manager that is closed
 * before it returns, so repeated calls do not accumulate native memory.
 *
 * <pre>{@code
 * try (GraphExecutor ex = GraphExecutor.create(graph)) {
 *   Tensor logits = ex.predict(image);
 * }
 * }</pre>
 *
 * <p>An executor is meant for one thread at a time (concurrent use is not tested); in particular
 * {@link #refreshParameters()} and {@link #close()} must not overlap a running prediction.
 */
public final class GraphExecutor implements AutoCloseable {
  /** The DJL engine name used for execution. */
  public static final String ENGINE = "PyTorch";

  private final Graph graph;
  private final NDManager manager;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();
  private final ParameterSource source;
  private volatile boolean closed;

  private GraphExecutor(Graph graph, NDManager manager) {
    this.graph = graph;
    this.manager = manager;
    this.source = p -> {
      NDArray a = arrays.get(p.qualifiedName());
      if (a == null) {
        throw new IllegalArgumentException("parameter '" + p.qualifiedName() + "' is not part of this executor's graph");
      }
      return a;
    };
  }

  /**
   * Creates an executor for {@code graph} on the CPU, copying its parameters.
   *
   * @param graph the graph (kept, not copied: later value changes are picked up by {@link
   *     #refreshParameters()})
   * @return an executor to close after use
   */
  public static GraphExecutor create(Graph graph) {
    Objects.requireNonNull(graph, "graph");
    Offline.ensure();
    NDManager m = NDManager.newBaseManager(Device.cpu(), ENGINE);
    GraphExecutor ex = new GraphExecutor(graph, m);
    try {
      for (Parameter p : graph.parameters()) {
        NDArray a = m.create(effectiveValue(p), new ai.djl.ndarray.types.Shape(p.shape().toLongArray()));
        a.setName(p.qualifiedName());
        ex.arrays.put(p.qualifiedName(), a);
      }
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return ex;
  }

  /** The graph this executor runs. */
  public Graph graph() {
    return graph;
  }

  /** The manager owning the parameter arrays; outputs of {@link #forward} live in the inputs' manager. */
  public NDManager manager() {
    return manager;
  }

  /** The parameter arrays, looked up by {@link Parameter#qualifiedName()}. */
  public ParameterSource parameters() {
    return source;
  }

  /**
   * Runs a graph with exactly one input and one output.
   *
   * @throws IllegalArgumentException if the graph has more inputs or outputs, or the shape does
   *     not fit (naming the input)
   */
  public Tensor predict(Tensor input) {
    if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
      throw new IllegalArgumentException("predict(Tensor) needs a graph with one input and one output; this one has "
          + graph.inputs().size() + " input(s) and " + graph.outputs().size() + " output(s)");
    }
    return predict(new Tensor[] {input})[0];
  }

  /**
   * Runs the graph on heap tensors, one per graph input, and copies the outputs back.
   *
   * @return one tensor per graph output, in {@link Graph#outputs()} order
   */
  public Tensor[] predict(Tensor... inputs) {
    ensureOpen();
    try (NDManager call = manager.newSubManager()) {
      NDList in = new NDList(inputs.length);
      for (Tensor t : inputs) {
        in.add(TensorConversions.toDjl(call, t));
      }
      NDList out = GraphInterpreter.run(graph, in, source, List.of(), false);
      Tensor[] result = new Tensor[out.size()];
      for (int i = 0; i < out.size(); i++) {
        result[i] = TensorConversions.fromDjl(out.get(i));
      }
      return result;
    }
  }

  /**
   * Runs the graph on engine arrays (inference mode) with hooks. The outputs are new arrays in the
   * first input's manager, owned by the caller; the inputs are not closed.
   */
  public NDList forward(NDList inputs, List<ExecutionHook> hooks) {
    ensureOpen();
    return GraphInterpreter.run(graph, inputs, source, hooks, false);
  }

  /** Copies every parameter value (times its mask, if any) into the engine arrays again. */
  public void refreshParameters() {
    ensureOpen();
    for (Parameter p : graph.parameters()) {
      arrays.get(p.qualifiedName()).set(effectiveValue(p));
    }
  }

  private static float[] effectiveValue(Parameter p) {
    float[] v = p.value().data();
    if (!p.hasMask()) {
      return v;
    }
    float[] m = p.mask().data();
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * m[i];
    }
    return out;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("executor is closed");
    }
  }

  /** Releases the native memory of the parameter copies and everything else in the manager. */
  @Override
  public void close() {
    closed = true;
    manager.close();
  }
}
