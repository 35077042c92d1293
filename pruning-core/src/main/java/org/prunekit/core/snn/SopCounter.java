package org.prunekit.core.snn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.OpKernels;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

/**
 * An {@link ExecutionHook} counting synaptic operations from the actual activity of a run.
 *
 * <p>For every linear and convolution layer it counts, per time step, the non-zero input elements
 * and the synaptic operations: the pairs (non-zero input element, non-zero weight) that meet in
 * the layer. They are computed exactly by running the layer itself on 0/1 indicators, {@code
 * sum(layer(1[x != 0], 1[W * mask != 0]))} without bias, so convolution borders, stride, padding
 * and groups are honoured; for a linear layer it is {@code sum over non-zero x_j of nnz(W[:, j])},
 * each spike times its kept fan-out. Only layers whose input is a spike tensor ({@link
 * TemporalLayout#isSpikes}) contribute to {@link SopReport#totalSops()}; the others (e.g. a first
 * layer fed the direct-encoded input) are reported too, flagged.
 *
 * <pre>{@code
 * SopCounter sops = SopCounter.create(graph);
 * try (GraphExecutor ex = GraphExecutor.create(graph)) {
 *   ex.forward(inputs, List.of(sops)).close();
 * }
 * long total = sops.report().totalSops();
 * }</pre>
 *
 * <p>Weights and masks are read when the counter is created: create a new one after pruning or
 * training. Counts accumulate over calls until {@link #reset()}. Not thread-safe. Temporaries live
 * in a sub-manager of the input's manager, closed before the hook returns.
 */
public final class SopCounter implements ExecutionHook {
  private final TemporalLayout layout;
  private final Map<String, Node> layers = new LinkedHashMap<>();
  private final Map<Parameter, Tensor> indicators = new IdentityHashMap<>();
  private final Map<String, Counts> counts = new LinkedHashMap<>();

  private static final class Counts {
    long samples;
    long inputElements;
    long[] nonZero;
    long[] sops;

    Counts(int steps) {
      nonZero = new long[steps];
      sops = new long[steps];
    }
  }

  private SopCounter(Graph graph) {
    this.layout = TemporalLayout.of(graph);
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Linear || n.op() instanceof Conv) {
        layers.put(n.name(), n);
        for (Parameter p : n.params().values()) {
          indicators.put(p, p.name().equals("weight") ? nonZeroIndicator(p) : new Tensor(p.shape(), new float[Math.toIntExact(p.numel())]));
        }
        counts.put(n.name(), new Counts(layout.timesteps(n.inputs().get(0))));
      }
    }
  }

  /**
   * A counter for every linear and convolution layer of {@code graph}, with its current weights and
   * masks.
   *
   * @throws IllegalArgumentException if the graph's time layout is inconsistent ({@link
   *     TemporalLayout#of})
   */
  public static SopCounter create(Graph graph) {
    return new SopCounter(graph);
  }

  private static Tensor nonZeroIndicator(Parameter p) {
    float[] v = p.value().data();
    float[] m = p.hasMask() ? p.mask().data() : null;
    float[] ind = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      ind[i] = v[i] != 0f && (m == null || m[i] != 0f) ? 1f : 0f;
    }
    return new Tensor(p.shape(), ind);
  }

  @Override
  public void onInputs(Node node, NDList inputs) {
    Node layer = layers.get(node.name());
    if (layer == null || layer != node) {
      return;
    }
    Counts c = counts.get(node.name());
    int steps = c.nonZero.length;
    NDArray x = inputs.get(0);
    long[] d = x.getShape().getShape();
    if (d[0] % steps != 0) {
      throw new IllegalArgumentException("layer '" + node.name() + "': input " + x.getShape() + " does not fold "
          + steps + " time steps into its first axis");
    }
    try (NDManager scope = x.getManager().newSubManager()) {
      scope.tempAttachAll(x); // everything derived from x lives in scope; x goes back on close
      Map<Parameter, NDArray> arrays = new IdentityHashMap<>();
      for (Parameter p : node.params().values()) {
        Tensor t = indicators.get(p);
        arrays.put(p, scope.create(t.data(), new ai.djl.ndarray.types.Shape(t.shape().toLongArray())));
      }
      NDArray ind = x.neq(0f).toType(DataType.FLOAT32, false);
      NDArray nz = ind.reshape(steps, -1).toType(DataType.FLOAT64, false).sum(new int[] {1});
      NDArray out = OpKernels.forward(node, List.of(ind), arrays::get, false);
      // every output element is an exact count (<= fan-in); sum those in double
      NDArray ops = out.reshape(steps, -1).toType(DataType.FLOAT64, false).sum(new int[] {1});
      double[] nzs = nz.toDoubleArray();
      double[] opss = ops.toDoubleArray();
      for (int t = 0; t < steps; t++) {
        c.nonZero[t] = Math.addExact(c.nonZero[t], (long) nzs[t]);
        c.sops[t] = Math.addExact(c.sops[t], (long) opss[t]);
      }
      c.samples += d[0] / steps;
      c.inputElements += x.size() / steps;
    }
  }

  /** The counts so far. */
  public SopReport report() {
    List<LayerActivity> out = new ArrayList<>();
    for (Map.Entry<String, Counts> e : counts.entrySet()) {
      Counts c = e.getValue();
      String input = layers.get(e.getKey()).inputs().get(0);
      out.add(new LayerActivity(e.getKey(), layout.isSpikes(input), c.nonZero.length, c.samples, c.inputElements,
          c.nonZero, c.sops));
    }
    return new SopReport(out);
  }

  /** Forgets all counts. */
  public void reset() {
    for (Counts c : counts.values()) {
      c.samples = 0;
      c.inputElements = 0;
      java.util.Arrays.fill(c.nonZero, 0);
      java.util.Arrays.fill(c.sops, 0);
    }
  }
}
