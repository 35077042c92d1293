package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Computes loss gradients of a graph's parameters (and, on request, of chosen node outputs) with
 * DJL's autograd, and returns them as heap {@link Tensor}s, e.g. for gradient-based pruning
 * criteria.
 *
 * <p>Two sources of parameter values:
 *
 * <ul>
 *   <li>{@link #of(Graph, Loss)}: the graph's current heap values, copied into fresh arrays for
 *       every batch (so the gradients always belong to the graph as it is now).
 *   <li>{@link #of(GraphBlock, Loss)}: an initialised block's own arrays (for example while it
 *       trains). Their gradients are zeroed before and after each pass, so do not call this
 *       between a trainer's backward pass and its step.
 * </ul>
 *
 * <p>Activation gradients use a zero leaf: for each chosen node the hook returns {@code output +
 * z}, where {@code z} is a zero array that requires a gradient. Then {@code dL/dz} equals {@code
 * dL/d output} while gradients keep flowing through {@code output} to earlier parameters. (Calling
 * {@code setRequiresGradient(true)} on a node output itself does not work with the PyTorch engine:
 * an intermediate result is not a leaf, so PyTorch keeps no {@code .grad} for it.)
 *
 * <p>Buffers (batch-norm running statistics) get no gradients. Every native array lives in a
 * per-batch sub-manager of this object's manager; close the capture when done.
 */
public final class GradientCapture implements AutoCloseable {
  private final Graph graph;
  private final GraphBlock block;
  private final Loss loss;
  private final NDManager manager;
  private final Map<String, float[]> sums = new LinkedHashMap<>();
  private boolean training;
  private int count;
  private boolean closed;

  private GradientCapture(Graph graph, GraphBlock block, Loss loss) {
    this.graph = graph;
    this.block = block;
    this.loss = Objects.requireNonNull(loss, "loss");
    this.manager = DjlEnvironment.newManager();
  }

  /**
   * Gradients with respect to the graph's current heap values.
   *
   * @param graph the graph (values are read at every batch)
   * @param loss the loss, evaluated as {@code loss.evaluate(labels, predictions)}
   */
  public static GradientCapture of(Graph graph, Loss loss) {
    return new GradientCapture(Objects.requireNonNull(graph, "graph"), null, loss);
  }

  /**
   * Gradients with respect to an initialised block's current arrays.
   *
   * @param block the block
   * @param loss the loss, evaluated as {@code loss.evaluate(labels, predictions)}
   */
  public static GradientCapture of(GraphBlock block, Loss loss) {
    Objects.requireNonNull(block, "block");
    return new GradientCapture(block.graph(), block, loss);
  }

  /**
   * Runs dropout and batch-norm in training mode during the pass (default: inference mode). In
   * training mode batch-norm updates the running statistics of the arrays used.
   *
   * @return this
   */
  public GradientCapture optTraining(boolean training) {
    this.training = training;
    return this;
  }

  /**
   * The gradients of one batch.
   *
   * @param loss the loss value of the batch
   * @param parameters gradient per trainable parameter, by qualified name, in graph order
   * @param activations gradient per requested node output, by node name
   */
  public record Gradients(float loss, Map<String, Tensor> parameters, Map<String, Tensor> activations) {
    /** Makes the maps unmodifiable. */
    public Gradients {
      parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
      activations = Collections.unmodifiableMap(new LinkedHashMap<>(activations));
    }
  }

  /**
   * One forward and backward pass; nothing is accumulated.
   *
   * @param inputs one array per graph input (not closed, not moved)
   * @param labels the labels the loss compares with
   * @param activationNodes names of nodes whose output gradients are wanted (may be empty)
   * @return the gradients as heap tensors
   * @throws IllegalArgumentException if a node name is unknown
   */
  public Gradients compute(NDList inputs, NDList labels, Collection<String> activationNodes) {
    checkOpen();
    Set<String> wanted = new LinkedHashSet<>(activationNodes);
    for (String n : wanted) {
      graph.node(n);
    }
    if (inputs.size() != graph.inputs().size()) {
      throw new IllegalArgumentException(
          "graph has " + graph.inputs().size() + " input(s), got " + inputs.size() + " array(s)");
    }
    try (NDManager scope = manager.newSubManager()) {
      Map<Parameter, NDArray> arrays = parameterArrays(scope);
      Map<String, NDArray> taps = new LinkedHashMap<>();
      ExecutionHook tap =
          new ExecutionHook() {
            @Override
            public NDArray onOutput(Node node, NDArray output) {
              if (!wanted.contains(node.name())) {
                return output;
              }
              NDArray z = scope.zeros(output.getShape(), output.getDataType());
              z.setRequiresGradient(true);
              taps.put(node.name(), z);
              return output.add(z);
            }
          };
      inputs.tempAttach(scope);
      Set<NDArray> attached = Collections.newSetFromMap(new IdentityHashMap<>());
      attached.addAll(inputs);
      for (NDArray label : labels) {
        if (attached.add(label)) { // an array used as input and label (autoencoders) moves once
          label.tempAttach(scope);
        }
      }
      float lossValue;
      try (GradientCollector collector = DjlEnvironment.engine().newGradientCollector()) {
        ParameterSource source = arrays::get;
        List<ExecutionHook> hooks = block == null ? List.of(tap) : withBlockHooks(tap);
        NDList preds = GraphInterpreter.run(graph, inputs, source, hooks, training);
        NDArray l = loss.evaluate(labels, preds);
        lossValue = l.getFloat();
        collector.backward(l);
      }
      Map<String, Tensor> grads = new LinkedHashMap<>();
      for (Map.Entry<Parameter, NDArray> e : arrays.entrySet()) {
        if (!e.getKey().role().isBuffer()) {
          try (NDArray g = e.getValue().getGradient()) {
            grads.put(e.getKey().qualifiedName(), TensorConversions.fromDjl(g));
          }
        }
      }
      Map<String, Tensor> acts = new LinkedHashMap<>();
      for (String n : wanted) {
        NDArray z = taps.get(n);
        if (z == null) {
          throw new IllegalStateException("node '" + n + "' produced no output during the pass");
        }
        acts.put(n, TensorConversions.fromDjl(z.getGradient()));
      }
      if (block != null) {
        zeroBlockGradients();
      }
      return new Gradients(lossValue, grads, acts);
    }
  }

  /**
   * Computes the parameter gradients of one batch and adds them to the running sums.
   *
   * @param inputs one array per graph input
   * @param labels the labels
   * @return the batch's loss value
   */
  public float accumulate(NDList inputs, NDList labels) {
    Gradients g = compute(inputs, labels, List.of());
    for (Map.Entry<String, Tensor> e : g.parameters().entrySet()) {
      float[] s = sums.computeIfAbsent(e.getKey(), k -> new float[e.getValue().size()]);
      float[] v = e.getValue().data();
      for (int i = 0; i < s.length; i++) {
        s[i] += v[i];
      }
    }
    count++;
    return g.loss();
  }

  /** Number of batches accumulated since construction or {@link #reset()}. */
  public int count() {
    return count;
  }

  /** Sums of the accumulated parameter gradients, by qualified name (copies). */
  public Map<String, Tensor> sums() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    sums.forEach((k, v) -> out.put(k, new Tensor(graph.parameter(k).shape(), v.clone())));
    return out;
  }

  /**
   * Means of the accumulated parameter gradients (sums divided by {@link #count()}).
   *
   * @throws IllegalStateException if nothing was accumulated
   */
  public Map<String, Tensor> means() {
    if (count == 0) {
      throw new IllegalStateException("no batch accumulated yet");
    }
    Map<String, Tensor> out = sums();
    for (Tensor t : out.values()) {
      float[] d = t.data();
      for (int i = 0; i < d.length; i++) {
        d[i] /= count;
      }
    }
    return out;
  }

  /** Forgets the accumulated sums. */
  public void reset() {
    sums.clear();
    count = 0;
  }

  /** Frees every native array this capture made. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }

  private Map<Parameter, NDArray> parameterArrays(NDManager scope) {
    Map<Parameter, NDArray> arrays = new IdentityHashMap<>();
    if (block == null) {
      for (Parameter p : graph.parameters()) {
        NDArray a = TensorConversions.toDjl(scope, p.value());
        if (!p.role().isBuffer()) {
          a.setRequiresGradient(true);
        }
        arrays.put(p, a);
      }
      return arrays;
    }
    if (!block.isInitialized()) {
      throw new IllegalStateException("graph block is not initialised; initialise it (or its trainer) first");
    }
    zeroBlockGradients();
    for (Parameter p : graph.parameters()) {
      arrays.put(p, block.djlParameter(p).getArray());
    }
    return arrays;
  }

  private List<ExecutionHook> withBlockHooks(ExecutionHook tap) {
    List<ExecutionHook> all = new java.util.ArrayList<>(block.hooks());
    all.add(tap);
    return all;
  }

  private void zeroBlockGradients() {
    for (Parameter p : graph.parameters()) {
      ai.djl.nn.Parameter d = block.djlParameter(p);
      if (d.requiresGradient() && d.getArray().hasGradient()) {
        try (NDArray g = d.getArray().getGradient()) {
          g.subi(g);
        }
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("gradient capture is closed");
    }
  }
}
