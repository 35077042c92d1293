package org.prunekit.analysis.federated;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decentralised federated averaging with planned routing and pruning.
 *
 * <p>Every round {@code r}: the aggregator is client {@code r mod n} (rotating, no server); every
 * client starts from the current global model and runs its {@link LocalUpdate}; every other client
 * sends its model to the aggregator along the route of a {@link RoutingPlan} (planned by a {@link
 * RoutingPlanner} with {@code Q = bitsPerParameter x parameter count}), pruned to its planned
 * retention by {@link CompressedModel#of} (magnitude, global). Models with retention 0 and, with
 * {@code dropLate} (default), models whose planned latency exceeds the budget (the UNPRUNED
 * baseline) do not arrive. The aggregator combines its own full model with the arrived ones by the
 * {@link AggregationRule} and the result, the new global model, is evaluated. The broadcast back
 * is not timed (the same for all strategies).
 */
public final class FederatedSimulation {
  private static final Logger LOG = LoggerFactory.getLogger(FederatedSimulation.class);

  private final CommunicationGraph graph;
  private final Graph initial;
  private final LocalUpdate update;
  private final ToDoubleFunction<Graph> evaluator;
  private final int rounds;
  private final double budget;
  private final double bitsPerParameter;
  private final AggregationRule rule;
  private final boolean dropLate;
  private final long seed;

  private FederatedSimulation(Builder b) {
    this.graph = b.graph;
    this.initial = b.initial.copy();
    this.update = b.update;
    this.evaluator = b.evaluator;
    this.rounds = b.rounds;
    this.budget = b.budget;
    this.bitsPerParameter = b.bitsPerParameter;
    this.rule = b.rule;
    this.dropLate = b.dropLate;
    this.seed = b.seed;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Full model size {@code Q} in bits. */
  public double modelBits() {
    long n = 0;
    for (Parameter p : initial.parameters()) {
      n += p.numel();
    }
    return n * bitsPerParameter;
  }

  /** The planner the simulation uses. */
  public RoutingPlanner planner() {
    return RoutingPlanner.builder().setGraph(graph).setModelBits(modelBits()).setLatencyBudget(budget)
        .optSeed(seed).build();
  }

  /**
   * Runs all rounds with {@code strategy}, from the initial model. Routing is planned for every
   * aggregator before any training, so an unreachable client or infeasible budget fails fast.
   */
  public SimulationResult run(RoutingStrategy strategy) {
    long t0 = System.nanoTime();
    RoutingPlanner planner = planner();
    Map<String, RoutingPlan> plans = new HashMap<>();
    for (int r = 0; r < rounds; r++) {
      String agg = graph.client(r % graph.size());
      if (!plans.containsKey(agg)) {
        plans.put(agg, planner.plan(planner.flowsTo(agg), strategy));
      }
    }
    Graph work = initial.copy();
    Map<String, float[]> global = snapshot(work);
    List<RoundRecord> records = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      String agg = graph.client(r % graph.size());
      RoutingPlan plan = plans.get(agg);
      Map<String, double[]> sum = new LinkedHashMap<>();
      Map<String, double[]> count = new LinkedHashMap<>();
      global.forEach((k, v) -> {
        sum.put(k, new double[v.length]);
        count.put(k, new double[v.length]);
      });
      int arrived = 0;
      double keptSum = 0;
      for (int c = 0; c < graph.size(); c++) {
        load(work, global);
        update.update(work, c, r);
        String name = graph.client(c);
        CompressedModel sent;
        if (name.equals(agg)) {
          sent = CompressedModel.dense(work);
        } else {
          FlowPlan fp = plan.flowFrom(name);
          if (fp.retention() <= 0 || (dropLate && !fp.withinBudget())) {
            continue;
          }
          sent = CompressedModel.of(work, fp.retention());
          arrived++;
          keptSum += sent.keptFraction();
        }
        accumulate(sent, sum, count);
      }
      int models = arrived + 1;
      for (Map.Entry<String, float[]> e : global.entrySet()) {
        float[] g = e.getValue();
        double[] s = sum.get(e.getKey());
        double[] n = count.get(e.getKey());
        for (int i = 0; i < g.length; i++) {
          g[i] = (float) (rule == AggregationRule.MASKED_MEAN ? s[i] / n[i] : s[i] / models);
        }
      }
      load(work, global);
      double acc = evaluator.applyAsDouble(work);
      RoundRecord rec = new RoundRecord(r, agg, plan.meanRetention(), arrived == 0 ? 0 : keptSum / arrived,
          plan.meanLatency(), plan.maxLatency(), arrived, plan.flows().size(), acc);
      LOG.info("{} round {}: aggregator {}, {} of {} models arrived, mean rho {}, max latency {} s, accuracy {}",
          strategy, r, agg, arrived, plan.flows().size(), String.format("%.3f", rec.meanRetention()),
          String.format("%.3f", rec.maxLatencySeconds()), String.format("%.4f", acc));
      records.add(rec);
    }
    return new SimulationResult(strategy, records, (System.nanoTime() - t0) / 1e9);
  }

  private void accumulate(CompressedModel m, Map<String, double[]> sum, Map<String, double[]> count) {
    for (Map.Entry<String, double[]> e : sum.entrySet()) {
      float[] v = m.values().get(e.getKey());
      float[] k = m.masks().get(e.getKey());
      double[] s = e.getValue();
      double[] n = count.get(e.getKey());
      for (int i = 0; i < s.length; i++) {
        s[i] += v[i];
        n[i] += k[i];
      }
    }
  }

  private static Map<String, float[]> snapshot(Graph g) {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (Parameter p : g.parameters()) {
      m.put(p.qualifiedName(), p.value().toFloatArray());
    }
    return m;
  }

  private static void load(Graph g, Map<String, float[]> values) {
    for (Parameter p : g.parameters()) {
      p.setValue(new Tensor(p.shape(), values.get(p.qualifiedName()).clone()));
    }
  }

  /** Builder of a {@link FederatedSimulation}. */
  public static final class Builder {
    private CommunicationGraph graph;
    private Graph initial;
    private LocalUpdate update;
    private ToDoubleFunction<Graph> evaluator;
    private int rounds = -1;
    private double budget = Double.NaN;
    private double bitsPerParameter = 32;
    private AggregationRule rule = AggregationRule.MASKED_MEAN;
    private boolean dropLate = true;
    private long seed = 0;

    private Builder() {}

    /** The communication graph; every client takes part (required). */
    public Builder setGraph(CommunicationGraph graph) {
      this.graph = graph;
      return this;
    }

    /** The initial global model (copied; required). */
    public Builder setModel(Graph model) {
      this.initial = model;
      return this;
    }

    /** Local training (required). */
    public Builder setLocalUpdate(LocalUpdate update) {
      this.update = update;
      return this;
    }

    /** Accuracy (or any score) of the global model after each round (required). */
    public Builder setEvaluator(ToDoubleFunction<Graph> evaluator) {
      this.evaluator = evaluator;
      return this;
    }

    /** Number of rounds (required, at least 1). */
    public Builder setRounds(int rounds) {
      this.rounds = rounds;
      return this;
    }

    /** Per-round latency budget {@code T_max} in seconds (required, positive). */
    public Builder setLatencyBudget(double seconds) {
      this.budget = seconds;
      return this;
    }

    /** Bits per parameter of a full-precision model (default 32). */
    public Builder optBitsPerParameter(double bits) {
      this.bitsPerParameter = bits;
      return this;
    }

    /** Aggregation rule (default {@link AggregationRule#MASKED_MEAN}). */
    public Builder optAggregation(AggregationRule rule) {
      this.rule = rule;
      return this;
    }

    /** Whether models over the latency budget are dropped (default true). */
    public Builder optDropLate(boolean drop) {
      this.dropLate = drop;
      return this;
    }

    /** Seed of the RANDOM routing baseline (default 0). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds the simulation.
     *
     * @throws IllegalArgumentException naming the missing or invalid setting
     */
    public FederatedSimulation build() {
      Objects.requireNonNull(graph, "graph is required (setGraph)");
      Objects.requireNonNull(initial, "model is required (setModel)");
      Objects.requireNonNull(update, "local update is required (setLocalUpdate)");
      Objects.requireNonNull(evaluator, "evaluator is required (setEvaluator)");
      Objects.requireNonNull(rule, "aggregation rule");
      if (rounds < 1) {
        throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
      }
      if (graph.size() < 2) {
        throw new IllegalArgumentException("federated averaging needs at least 2 clients, got " + graph.size());
      }
      if (!(budget > 0) || !Double.isFinite(budget)) {
        throw new IllegalArgumentException("latency budget must be positive and finite, got " + budget + " s");
      }
      if (!(bitsPerParameter > 0) || !Double.isFinite(bitsPerParameter)) {
        throw new IllegalArgumentException("bits per parameter must be positive, got " + bitsPerParameter);
      }
      return new FederatedSimulation(this);
    }
  }
}
