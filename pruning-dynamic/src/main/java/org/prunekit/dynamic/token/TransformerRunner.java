package org.prunekit.dynamic.token;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.exec.GraphInterpreter;
import org.prunekit.core.exec.OpKernels;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Runs a {@link TransformerModel} segment by segment on the DJL PyTorch engine with the core op
 * kernels ({@link OpKernels}, the same ones {@link GraphExecutor} uses): prefix, then each block
 * on whatever sequence it is given (so a pruned, shorter sequence really costs less), then the
 * tail, the readout and the head. Controllers call the segments between which they act.
 *
 * <p>Owns two {@link GraphExecutor}s holding the parameter copies; close it after use. The graphs
 * are only read, never changed. One thread at a time.
 */
public final class TransformerRunner implements AutoCloseable {
  private final TransformerModel model;
  private final TransformerLayout layout;
  private final GraphExecutor encoder;
  private final GraphExecutor head;

  private TransformerRunner(TransformerModel model, TransformerLayout layout, GraphExecutor encoder,
      GraphExecutor head) {
    this.model = model;
    this.layout = layout;
    this.encoder = encoder;
    this.head = head;
  }

  /**
   * Cuts the encoder into blocks ({@link TransformerLayout#of}) and copies the parameters to the
   * engine.
   *
   * @throws IllegalArgumentException if the encoder is not a chain of token-wise transformer blocks
   */
  public static TransformerRunner create(TransformerModel model) {
    Objects.requireNonNull(model, "model");
    TransformerLayout layout = TransformerLayout.of(model.encoder());
    GraphExecutor enc = GraphExecutor.create(model.encoder());
    try {
      GraphExecutor h = model.head() == null ? null : GraphExecutor.create(model.head());
      return new TransformerRunner(model, layout, enc, h);
    } catch (RuntimeException e) {
      enc.close();
      throw e;
    }
  }

  /** The model. */
  public TransformerModel model() {
    return model;
  }

  /** The encoder's blocks. */
  public TransformerLayout layout() {
    return layout;
  }

  /** The encoder executor (its parameter arrays are what the blocks read). */
  public GraphExecutor encoderExecutor() {
    return encoder;
  }

  /** A new manager for one call; everything a call creates lives there until it is closed. */
  public NDManager newCallManager() {
    return encoder.manager().newSubManager();
  }

  /**
   * Copies heap inputs into {@code call}, checking them against the encoder's input specs.
   *
   * @throws IllegalArgumentException naming the input whose count or shape does not fit
   */
  public NDList toEngine(NDManager call, Tensor... inputs) {
    Graph g = model.encoder();
    if (inputs.length != g.inputs().size()) {
      throw new IllegalArgumentException("encoder takes " + g.inputs().size() + " input(s), got " + inputs.length);
    }
    NDList list = new NDList(inputs.length);
    int batch = -1;
    for (int i = 0; i < inputs.length; i++) {
      InputSpec spec = g.inputs().get(i);
      Shape s = inputs[i].shape();
      if (s.rank() != spec.sampleShape().rank() + 1 || !s.dropFirst().equals(spec.sampleShape())
          || (batch >= 0 && s.get(0) != batch)) {
        throw new IllegalArgumentException("encoder input '" + spec.name() + "' expects [batch, "
            + spec.sampleShape() + "] with one batch size for all inputs, got " + s);
      }
      batch = s.get(0);
      list.add(TensorConversions.toDjl(call, inputs[i]));
    }
    return list;
  }

  /** Runs the prefix: returns the residual stream entering block 0, {@code [batch, seq, dim]}. */
  public NDArray embed(NDList inputs) {
    Map<String, NDArray> values = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      values.put(model.encoder().inputs().get(i).name(), inputs.get(i));
    }
    return run(layout.prefix(), values, null);
  }

  /**
   * Runs block {@code i} on {@code x} (any sequence length).
   *
   * @param tap called with each node and its first input before the node runs (may be {@code null})
   * @return the block output, same shape as {@code x}
   */
  public NDArray block(int i, NDArray x, BiConsumer<Node, NDArray> tap) {
    layout.checkBlock(i);
    Map<String, NDArray> values = new HashMap<>();
    values.put(layout.streamInput(i), x);
    return run(layout.block(i), values, tap);
  }

  /** Runs the tail, the readout and the head: one output row per sample. */
  public NDArray finish(NDArray x) {
    NDArray y = x;
    if (!layout.tail().isEmpty()) {
      Map<String, NDArray> values = new HashMap<>();
      values.put(layout.block(layout.depth() - 1).get(layout.block(layout.depth() - 1).size() - 1).name(), x);
      y = run(layout.tail(), values, null);
    }
    NDArray r = model.readout() == TransformerModel.Readout.CLS
        ? y.get(new ai.djl.ndarray.index.NDIndex(":, 0, :"))
        : y.mean(new int[] {1});
    if (head == null) {
      return r;
    }
    return GraphInterpreter.run(model.head(), new NDList(r), head.parameters(), List.of(), false).singletonOrThrow();
  }

  /** The dense forward pass (no controller): prefix, every block, tail, readout, head. */
  public Tensor predict(Tensor... inputs) {
    try (NDManager call = newCallManager()) {
      NDArray x = embed(toEngine(call, inputs));
      for (int i = 0; i < layout.depth(); i++) {
        x = block(i, x, null);
      }
      return TensorConversions.fromDjl(finish(x));
    }
  }

  private NDArray run(List<Node> nodes, Map<String, NDArray> values, BiConsumer<Node, NDArray> tap) {
    List<NDArray> created = new ArrayList<>();
    NDArray out = null;
    for (Node n : nodes) {
      List<NDArray> ins = new ArrayList<>(n.inputs().size());
      for (String name : n.inputs()) {
        ins.add(values.get(name));
      }
      if (tap != null) {
        tap.accept(n, ins.get(0));
      }
      out = OpKernels.forward(n, ins, encoder.parameters(), false);
      values.put(n.name(), out);
      created.add(out);
    }
    for (NDArray a : created) {
      if (a != out) {
        a.close();
      }
    }
    return out;
  }

  /** Releases the parameter copies. */
  @Override
  public void close() {
    try {
      encoder.close();
    } finally {
      if (head != null) {
        head.close();
      }
    }
  }
}
