package org.prunekit.criteria.atv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * ATV calibration of one decoder layer on a real graph execution (spec 3.4 steps 1-5): runs every
 * calibration sample through the graph twice with an {@link ExecutionHook}, first to measure the
 * visual-token distances between the layer's input and output hidden states ({@link
 * VisualTokenSelector}), then, after the selection, to accumulate each linear's pooled input norms
 * ({@link PooledInputNorms}). The result feeds {@link AtvCriterion} through {@link
 * PooledInputNorms#scoringInputs()}.
 *
 * <p>Sequential use (the reference's procedure): calibrate layer 0, prune its linears ({@code
 * Pruning.prune(graph, spec with Targets.only(...), norms.scoringInputs())}), call {@link
 * GraphExecutor#refreshParameters()}, then calibrate layer 1, and so on. Running the whole graph
 * from its input with the earlier layers already pruned gives layer {@code l} exactly the inputs
 * the reference feeds it (the output of the pruned layer {@code l - 1}).
 *
 * @param entryNode the node whose first input is the layer's input hidden state (e.g. the layer's
 *     first norm, which reads the residual stream)
 * @param exitNode the node whose output is the layer's output hidden state (e.g. the last residual add)
 * @param linearNodes the layer's linear nodes; their {@code weight} parameters get statistics
 */
public record AtvLayerCalibration(String entryNode, String exitNode, List<String> linearNodes) {
  /** Copies the node list. */
  public AtvLayerCalibration {
    Objects.requireNonNull(entryNode, "entryNode");
    Objects.requireNonNull(exitNode, "exitNode");
    linearNodes = List.copyOf(linearNodes);
  }

  /**
   * Calibrates the layer.
   *
   * @param executor runs the graph (its current parameter values, masks applied)
   * @param samples one graph input per calibration sample, batch 1 (e.g. token ids {@code [1, T]})
   * @param visual per sample, the modality tag of each of its {@code T} tokens (true = visual)
   * @param alpha ATV's {@code α}
   * @return the pooled input norms of every linear of the layer, with the selection inside
   * @throws IllegalArgumentException naming the node, sample or count at fault (unknown node, a
   *     linear node that is not {@link Linear}, sample/tag counts differing, empty calibration)
   */
  public PooledInputNorms calibrate(GraphExecutor executor, List<Tensor> samples, List<boolean[]> visual,
      double alpha) {
    Graph g = executor.graph();
    node(g, entryNode);
    node(g, exitNode);
    for (String n : linearNodes) {
      if (!(node(g, n).op() instanceof Linear)) {
        throw new IllegalArgumentException("ATV linear node '" + n + "' is a " + node(g, n).op().getClass().getSimpleName()
            + ", not a Linear");
      }
    }
    if (samples.size() != visual.size()) {
      throw new IllegalArgumentException(samples.size() + " calibration samples but " + visual.size()
          + " modality tag arrays");
    }
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("empty calibration for layer '" + exitNode + "': no samples");
    }
    VisualTokenSelector selector = new VisualTokenSelector(exitNode);
    for (int j = 0; j < samples.size(); j++) {
      Capture c = run(executor, samples.get(j), List.of());
      selector.addSample(visual.get(j), c.layerIn, c.layerOut);
    }
    TokenSelection selection = selector.select(alpha);
    PooledInputNorms norms = new PooledInputNorms(selection);
    for (int j = 0; j < samples.size(); j++) {
      Capture c = run(executor, samples.get(j), linearNodes);
      for (String n : linearNodes) {
        norms.accumulate(n + ".weight", j, c.linearInputs.get(n));
      }
    }
    return norms;
  }

  private Capture run(GraphExecutor executor, Tensor sample, List<String> linears) {
    Capture c = new Capture(entryNode, exitNode, linears);
    try (NDManager call = executor.manager().newSubManager()) {
      NDList out = executor.forward(new NDList(TensorConversions.toDjl(call, sample)), List.of(c));
      out.close();
    }
    if (c.layerIn == null || c.layerOut == null) {
      throw new IllegalStateException("layer '" + exitNode + "': the forward pass did not reach node '"
          + (c.layerIn == null ? entryNode : exitNode) + "'");
    }
    return c;
  }

  private static Node node(Graph g, String name) {
    for (Node n : g.nodes()) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    throw new IllegalArgumentException("graph has no node '" + name + "'");
  }

  /** Copies the hidden states and linear inputs of one forward pass to the heap. */
  private static final class Capture implements ExecutionHook {
    private final String entry;
    private final String exit;
    private final List<String> linears;
    Tensor layerIn;
    Tensor layerOut;
    final Map<String, Tensor> linearInputs = new LinkedHashMap<>();

    Capture(String entry, String exit, List<String> linears) {
      this.entry = entry;
      this.exit = exit;
      this.linears = linears;
    }

    @Override
    public void onInputs(Node node, NDList inputs) {
      if (node.name().equals(entry)) {
        layerIn = TensorConversions.fromDjl(inputs.get(0));
      }
      if (linears.contains(node.name())) {
        linearInputs.put(node.name(), TensorConversions.fromDjl(inputs.get(0)));
      }
    }

    @Override
    public NDArray onOutput(Node node, NDArray output) {
      if (node.name().equals(exit)) {
        layerOut = TensorConversions.fromDjl(output);
      }
      return output;
    }
  }
}
