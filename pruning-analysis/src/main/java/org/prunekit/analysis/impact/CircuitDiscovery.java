package org.prunekit.analysis.impact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.exec.GraphInterpreter;
import org.prunekit.core.exec.ParameterSource;
import org.prunekit.core.graph.Node;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task-circuit discovery by learnable node masking (spec 3.9). Each node {@code n} (attention head
 * or MLP neuron, {@link CircuitNodes}) gets a logit {@code θ_n} and a mask {@code m_n =
 * sigmoid(θ_n)} that multiplies the node's output: a neuron's activation, and a head's context
 * (applied as a scale of the head's columns of {@code o_weight}, which is the same product). With
 * the model's weights frozen, Adam minimises
 *
 * <pre>  KL(p_full || p_masked) + λ Σ_n m_n</pre>
 *
 * (KL averaged over the task images) for a number of full-batch steps; the circuit is {@code m_n >=
 * 0.5}. Spec defaults: {@code λ = 1e-3}, 500 steps, learning rate 0.1; logits start at {@code
 * θ_0 = 3} (all nodes on, {@code m ≈ 0.95}).
 *
 * <pre>{@code
 * CircuitDiscovery.Result r = CircuitDiscovery.builder().build().discover(model, data.select(0, 1));
 * }</pre>
 */
public final class CircuitDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitDiscovery.class);

  private final float lambda;
  private final int steps;
  private final float learningRate;
  private final float initialLogit;

  /**
   * The discovered circuit.
   *
   * @param mask the binarised node mask
   * @param edges circuit edges ({@link CircuitEdges}) of the mask
   * @param allNodeEdges edges with every node active (the whole model's count)
   * @param activeFraction active nodes / nodes
   * @param softKl KL of the soft mask at the last step
   * @param binaryKl KL of the binarised mask on the task images
   * @param steps optimisation steps run
   */
  public record Result(NodeMask mask, long edges, long allNodeEdges, double activeFraction, double softKl,
      double binaryKl, int steps) {}

  private CircuitDiscovery(Builder b) {
    this.lambda = b.lambda;
    this.steps = b.steps;
    this.learningRate = b.lr;
    this.initialLogit = b.init;
  }

  /** A builder with the spec defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CircuitDiscovery}; every setting is optional. */
  public static final class Builder {
    private float lambda = 1e-3f;
    private int steps = 500;
    private float lr = 0.1f;
    private float init = 3f;

    private Builder() {}

    /** Sparsity weight λ (default 1e-3). */
    public Builder optLambda(float lambda) {
      this.lambda = lambda;
      return this;
    }

    /** Adam steps (default 500). */
    public Builder optSteps(int steps) {
      this.steps = steps;
      return this;
    }

    /** Adam learning rate (default 0.1). */
    public Builder optLearningRate(float lr) {
      this.lr = lr;
      return this;
    }

    /** Initial mask logit (default 3). */
    public Builder optInitialLogit(float init) {
      this.init = init;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException for a negative or NaN λ, non-positive steps or rate, or a
     *     NaN initial logit
     */
    public CircuitDiscovery build() {
      if (!(lambda >= 0) || Float.isInfinite(lambda)) {
        throw new IllegalArgumentException("circuit discovery: lambda must be finite and >= 0, got " + lambda);
      }
      if (steps < 1 || !(lr > 0) || Float.isInfinite(lr) || !Float.isFinite(init)) {
        throw new IllegalArgumentException("circuit discovery: steps " + steps + ", learning rate " + lr
            + ", initial logit " + init + " must be positive / finite");
      }
      return new CircuitDiscovery(this);
    }
  }

  /**
   * Learns the circuit of {@code model} on the task images {@code task} (all used as one batch per
   * step; select a class or class pair with {@link ImpactData#select}).
   *
   * @throws IllegalArgumentException if the data do not fit the model or the graph has no nodes
   */
  public Result discover(PatchModel model, ImpactData task) {
    Objects.requireNonNull(model, "model");
    task.requireFits(model);
    CircuitNodes nodes = CircuitNodes.discover(model.graph());
    try (GraphExecutor ex = GraphExecutor.create(model.graph()); NDManager m = DjlEnvironment.newManager()) {
      Tensor[] heapInputs = model.inputs(task.patches());
      NDArray logFull;
      try (NDManager sm = m.newSubManager()) {
        NDList in = toDjl(sm, heapInputs);
        logFull = GraphInterpreter.run(model.graph(), in, ex.parameters(), List.of(), false).head().logSoftmax(1);
        logFull.attach(m);
      }
      NDArray pFull = logFull.exp();
      List<NDArray> thetas = new ArrayList<>();
      for (CircuitNodes.AttentionSite a : nodes.attention()) {
        thetas.add(m.full(new Shape(a.heads()), initialLogit));
      }
      for (CircuitNodes.MlpSite s : nodes.mlps()) {
        thetas.add(m.full(new Shape(s.neurons()), initialLogit));
      }
      for (NDArray t : thetas) {
        t.setRequiresGradient(true);
      }
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
      double kl = Double.NaN;
      for (int step = 0; step < steps; step++) {
        // Every temporary of the step lives in sm; thetas and the reference are lent to it.
        try (NDManager sm = m.newSubManager()) {
          for (NDArray t : thetas) {
            t.tempAttach(sm);
          }
          logFull.tempAttach(sm);
          pFull.tempAttach(sm);
          NDList in = toDjl(sm, heapInputs);
          try (GradientCollector gc = DjlEnvironment.engine().newGradientCollector()) {
            List<NDArray> masks = new ArrayList<>();
            NDArray penalty = null;
            for (NDArray t : thetas) {
              NDArray mk = Activation.sigmoid(t);
              masks.add(mk);
              penalty = penalty == null ? mk.sum() : penalty.add(mk.sum());
            }
            NDArray klArr = kl(model, ex, nodes, in, masks, logFull, pFull);
            kl = klArr.getFloat();
            gc.backward(klArr.add(penalty.mul(lambda)));
          }
        }
        for (int i = 0; i < thetas.size(); i++) {
          try (NDArray g = thetas.get(i).getGradient()) {
            adam.update("theta" + i, thetas.get(i), g);
            g.subi(g);
          }
        }
        if (Double.isNaN(kl)) {
          throw new IllegalStateException("circuit discovery diverged (NaN KL) at step " + step);
        }
      }
      NodeMask mask = binarise(nodes, thetas);
      double binaryKl;
      try (NDManager sm = m.newSubManager()) {
        logFull.tempAttach(sm);
        pFull.tempAttach(sm);
        List<NDArray> hard = new ArrayList<>();
        for (boolean[] h : mask.heads()) {
          hard.add(sm.create(toFloats(h)));
        }
        for (boolean[] n : mask.neurons()) {
          hard.add(sm.create(toFloats(n)));
        }
        binaryKl = kl(model, ex, nodes, toDjl(sm, heapInputs), hard, logFull, pFull).getFloat();
      }
      long edges = CircuitEdges.count(model.graph(), nodes, mask);
      long all = CircuitEdges.count(model.graph(), nodes, nodes.allActive());
      LOG.debug("circuit: {}/{} nodes active, {} of {} edges, KL soft {} binary {}", mask.active(), mask.total(), edges,
          all, kl, binaryKl);
      return new Result(mask, edges, all, mask.activeFraction(), kl, binaryKl, steps);
    }
  }

  /** Mean KL(p_full || p_masked) over the images; masks in {@link CircuitNodes} order. */
  private static NDArray kl(PatchModel model, GraphExecutor ex, CircuitNodes nodes, NDList inputs, List<NDArray> masks,
      NDArray logFull, NDArray pFull) {
    Map<String, NDArray> headScale = new HashMap<>();
    for (int i = 0; i < nodes.attention().size(); i++) {
      CircuitNodes.AttentionSite a = nodes.attention().get(i);
      // [heads] -> [1, heads*headDim]: each head's flag repeated over its columns of o_weight.
      NDArray cols = masks.get(i).reshape(a.heads(), 1).repeat(1, a.headDim()).reshape(1, (long) a.heads() * a.headDim());
      headScale.put(a.node() + ".o_weight", cols);
    }
    Map<String, NDArray> neuronScale = new HashMap<>();
    for (int i = 0; i < nodes.mlps().size(); i++) {
      neuronScale.put(nodes.mlps().get(i).activation(), masks.get(nodes.attention().size() + i));
    }
    ParameterSource base = ex.parameters();
    ParameterSource src = p -> {
      NDArray scale = headScale.get(p.qualifiedName());
      return scale == null ? base.array(p) : scale.mul(base.array(p)); // result in the step's manager
    };
    ExecutionHook gate = new ExecutionHook() {
      @Override
      public NDArray onOutput(Node node, NDArray output) {
        NDArray s = neuronScale.get(node.name());
        return s == null ? output : output.mul(s);
      }
    };
    NDArray logits = GraphInterpreter.run(model.graph(), inputs, src, List.of(gate), false).head();
    NDArray logMasked = logits.logSoftmax(1);
    return pFull.mul(logFull.sub(logMasked)).sum(new int[] {1}).mean();
  }

  private static NodeMask binarise(CircuitNodes nodes, List<NDArray> thetas) {
    List<boolean[]> heads = new ArrayList<>();
    List<boolean[]> neurons = new ArrayList<>();
    for (int i = 0; i < thetas.size(); i++) {
      float[] t = thetas.get(i).toFloatArray();
      boolean[] b = new boolean[t.length];
      for (int j = 0; j < t.length; j++) {
        b[j] = t[j] >= 0f; // sigmoid(θ) >= 0.5
      }
      (i < nodes.attention().size() ? heads : neurons).add(b);
    }
    return new NodeMask(heads, neurons);
  }

  private static NDList toDjl(NDManager sm, Tensor[] inputs) {
    NDList in = new NDList();
    for (Tensor t : inputs) {
      in.add(TensorConversions.toDjl(sm, t));
    }
    return in;
  }

  private static float[] toFloats(boolean[] b) {
    float[] f = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      f[i] = b[i] ? 1f : 0f;
    }
    return f;
  }
}
