package org.prunekit.dynamic.probeflow.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.dynamic.probeflow.VelocityField;

/**
 * A conditional flow-matching action head as a {@link VelocityField}: an MLP {@code [x_t (3H), t,
 * condition (standardised)] -> velocity (3H)} in the normalised action space, run on DJL PyTorch
 * through a {@link GraphExecutor}. The condition passed to {@link #velocity} is raw (the position in
 * metres, optionally followed by the velocity in m/s, see {@link ActionChunks.Condition}); decoded chunks map back to m/s with {@link #toVelocities}.
 *
 * <p>Holds native memory (the executor's parameter copies): close it.
 */
public final class FlowPolicyHead implements VelocityField, AutoCloseable {
  /** Action (velocity) components per step. */
  public static final int ACTION_DIM = 3;
  private final Graph graph;
  private final int horizon;
  private final ChunkNormalizer normalizer;
  private final Parameterization parameterization;
  private final GraphExecutor executor;
  private final long macsPerSample;
  private final long bytesFixed;
  private final long bytesPerSample;

  private FlowPolicyHead(Graph graph, int horizon, ChunkNormalizer normalizer, Parameterization parameterization) {
    this.parameterization = parameterization;
    this.graph = graph;
    this.horizon = horizon;
    this.normalizer = normalizer;
    CostTotals one = CostModel.of(graph, 1).total();
    CostTotals two = CostModel.of(graph, 2).total();
    this.macsPerSample = one.macs();
    this.bytesPerSample = two.bytesAccessed() - one.bytesAccessed();
    this.bytesFixed = one.bytesAccessed() - bytesPerSample;
    this.executor = GraphExecutor.create(graph);
  }

  /** Input width of the MLP: {@code 3H + 1 + conditionDim}. */
  public static int inputWidth(int horizon, int conditionDim) {
    return ACTION_DIM * horizon + 1 + conditionDim;
  }

  /**
   * A freshly initialised head MLP (deterministic from {@code seed}): {@code hiddenLayers} linear
   * layers of width {@code hidden} with SiLU, then a linear output of {@code 3H}.
   */
  public static Graph newGraph(int horizon, int conditionDim, int hidden, int hiddenLayers, long seed) {
    if (horizon < 1 || conditionDim < 1 || hidden < 1 || hiddenLayers < 1) {
      throw new IllegalArgumentException("horizon, conditionDim, hidden and hiddenLayers must be >= 1, got "
          + horizon + ", " + conditionDim + ", " + hidden + ", " + hiddenLayers);
    }
    GraphBuilder g = GraphBuilder.create(seed).input("in", inputWidth(horizon, conditionDim));
    for (int l = 0; l < hiddenLayers; l++) {
      g.linear("fc" + (l + 1), hidden).activation(Activation.Kind.SILU);
    }
    return g.linear("out", ACTION_DIM * horizon).build();
  }

  /** Wraps a velocity-predicting head graph. */
  public static FlowPolicyHead create(Graph graph, int horizon, ChunkNormalizer normalizer) {
    return create(graph, horizon, normalizer, Parameterization.VELOCITY);
  }

  /**
   * Wraps a head graph trained with {@code parameterization}.
   *
   * @throws IllegalArgumentException if the graph's input or output width does not fit {@code horizon}
   */
  public static FlowPolicyHead create(
      Graph graph, int horizon, ChunkNormalizer normalizer, Parameterization parameterization) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(parameterization, "parameterization");
    Objects.requireNonNull(normalizer, "normalizer");
    if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
      throw new IllegalArgumentException("a head graph has one input and one output");
    }
    long in = graph.inputs().get(0).sampleShape().size();
    int need = inputWidth(horizon, normalizer.conditionDim());
    if (in != need) {
      throw new IllegalArgumentException("head input '" + graph.inputs().get(0).name() + "' has width " + in
          + ", horizon " + horizon + " with a " + normalizer.conditionDim() + "-value condition needs " + need);
    }
    return new FlowPolicyHead(graph, horizon, normalizer, parameterization);
  }

  /** The head graph (trained values, if trained). */
  public Graph graph() {
    return graph;
  }

  /** The horizon H. */
  public int horizon() {
    return horizon;
  }

  /** What the network outputs. */
  public Parameterization parameterization() {
    return parameterization;
  }

  /** The scaling between physical units and the head's space. */
  public ChunkNormalizer normalizer() {
    return normalizer;
  }

  @Override
  public int dimension() {
    return ACTION_DIM * horizon;
  }

  @Override
  public float[][] velocity(float[][] x, float t, float[][] condition) {
    if (condition == null) {
      throw new IllegalArgumentException("the policy head needs a condition (current positions)");
    }
    int batch = x.length;
    int d = dimension();
    int cd = normalizer.conditionDim();
    int w = inputWidth(horizon, cd);
    float[] buf = new float[batch * w];
    for (int b = 0; b < batch; b++) {
      if (condition[b].length != cd) {
        throw new IllegalArgumentException("condition[" + b + "] has length " + condition[b].length + ", expected " + cd);
      }
      System.arraycopy(x[b], 0, buf, b * w, d);
      buf[b * w + d] = t;
      float[] p = normalizer.normalizeCondition(condition[b]);
      System.arraycopy(p, 0, buf, b * w + d + 1, cd);
    }
    float[] out;
    try (NDManager m = executor.manager().newSubManager()) {
      NDArray in = m.create(buf, new ai.djl.ndarray.types.Shape(batch, w));
      NDList y = executor.forward(new NDList(in), List.of());
      out = y.singletonOrThrow().toFloatArray();
    }
    float[][] v = new float[batch][d];
    if (parameterization == Parameterization.VELOCITY) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(out, b * d, v[b], 0, d);
      }
    } else {
      float inv = 1f / Math.max(1f - t, Parameterization.MIN_REMAINING_TIME);
      for (int b = 0; b < batch; b++) {
        for (int i = 0; i < d; i++) {
          v[b][i] = (out[b * d + i] - x[b][i]) * inv;
        }
      }
    }
    return v;
  }

  @Override
  public long macsPerEvaluation(int batch) {
    return macsPerSample * batch;
  }

  @Override
  public long bytesPerEvaluation(int batch) {
    return bytesFixed + bytesPerSample * batch;
  }

  /** A decoded chunk ({@code [3H]}, head space) in m/s. */
  public float[] toVelocities(float[] chunk) {
    return normalizer.denormalizeAction(chunk);
  }

  /** Frees the executor's native memory. */
  @Override
  public void close() {
    executor.close();
  }
}
