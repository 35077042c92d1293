package org.prunekit.analysis.federated;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joint routing and retention planning for D-FL (spec §3.8, PROPOSAL formulas).
 *
 * <p>Model: a pruned model of {@code rho Q} bits travels store-and-forward along path {@code P};
 * a link used by {@code n_e} flows of the round gives each of them rate {@code R_e / n_e}, so
 * {@code T(P, rho) = sum_e (rho Q n_e / R_e + d_e)} and the largest retention meeting the budget is
 * {@link #retention}: {@code rho = min(1, (T_max - sum_e d_e) / (Q sum_e n_e / R_e))}, 0 when the
 * numerator is not positive.
 *
 * <p>D-FL routing maximises {@code sum_i rho_i} greedily. Every flow first takes the Dijkstra path
 * on edge weight {@code 1/R_e + d_e/Q} (= the spec's {@code 1/R_e} without delays; with delays it
 * is the full-model latency over {@code Q}); if routing every flow by min-hop or by widest path
 * gives a larger {@code sum rho}, that routing is the start instead. Shared-link iteration then
 * re-routes flows one at a time (in flow order): the candidates are the Dijkstra path on {@code
 * (n_e' + 1)/R_e + d_e/Q} ({@code n_e'} = other flows on {@code e}, the spec's re-route step), the
 * current, the min-hop and the widest path, and a flow moves only when its move strictly raises
 * {@code sum rho}. Passes stop when no flow moves or after {@code maxIterations} (default 10,
 * counting the initial routing). So D-FL's {@code sum rho} is never below min-hop's or widest's.
 */
public final class RoutingPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(RoutingPlanner.class);

  private final CommunicationGraph graph;
  private final double modelBits;
  private final double budget;
  private final int maxIterations;
  private final double minRetention;
  private final long seed;

  private RoutingPlanner(Builder b) {
    this.graph = b.graph;
    this.modelBits = b.modelBits;
    this.budget = b.budget;
    this.maxIterations = b.maxIterations;
    this.minRetention = b.minRetention;
    this.seed = b.seed;
  }

  /** A new builder (graph, model size and budget are required). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code rho = min(1, (T_max - sumDelay) / (Q * sumInverseRate))}, or 0 when {@code T_max <=
   * sumDelay}; 1 for an empty path.
   *
   * @param modelBits {@code Q}
   * @param budgetSeconds {@code T_max}
   * @param sumInverseRate {@code sum_e n_e / R_e} along the path (s/bit)
   * @param sumDelay {@code sum_e d_e} along the path (s)
   */
  public static double retention(double modelBits, double budgetSeconds, double sumInverseRate, double sumDelay) {
    double slack = budgetSeconds - sumDelay;
    if (!(slack > 0)) {
      return 0;
    }
    if (sumInverseRate == 0) {
      return 1;
    }
    return Math.min(1, slack / (modelBits * sumInverseRate));
  }

  /** The graph planned on. */
  public CommunicationGraph graph() {
    return graph;
  }

  /** One flow from every other client to {@code aggregator} (clients in graph order). */
  public List<Flow> flowsTo(String aggregator) {
    graph.indexOf(aggregator);
    List<Flow> flows = new ArrayList<>();
    for (String c : graph.clients()) {
      if (!c.equals(aggregator)) {
        flows.add(new Flow(c, aggregator));
      }
    }
    return flows;
  }

  /**
   * Plans routes and retention rates of {@code flows} with {@code strategy}.
   *
   * @throws UnreachableClientException naming the first client that cannot reach its destination
   * @throws InfeasibleBudgetException (D-FL only) naming a client whose planned retention is 0 or
   *     below the minimum; the baselines instead report retention 0 for such a flow
   * @throws IllegalArgumentException for an unknown client or no flows
   */
  public RoutingPlan plan(List<Flow> flows, RoutingStrategy strategy) {
    Objects.requireNonNull(strategy, "strategy");
    if (flows == null || flows.isEmpty()) {
      throw new IllegalArgumentException("no flows to plan");
    }
    int f = flows.size();
    int[] src = new int[f];
    int[] dst = new int[f];
    for (int i = 0; i < f; i++) {
      src[i] = graph.indexOf(flows.get(i).source());
      dst[i] = graph.indexOf(flows.get(i).destination());
      if (!graph.reachableFrom(src[i])[dst[i]]) {
        throw new UnreachableClientException(flows.get(i).source(), flows.get(i).destination());
      }
    }
    List<List<Integer>> routes = new ArrayList<>();
    int iterations = 1;
    switch (strategy) {
      case MIN_HOP -> {
        for (int i = 0; i < f; i++) {
          routes.add(PathSearch.minHop(graph, src[i], dst[i]));
        }
      }
      case WIDEST -> {
        for (int i = 0; i < f; i++) {
          routes.add(PathSearch.widest(graph, src[i], dst[i]));
        }
      }
      case RANDOM -> {
        Random rnd = new Random(seed);
        for (int i = 0; i < f; i++) {
          double[] w = new double[graph.links().size()];
          for (int e = 0; e < w.length; e++) {
            w[e] = rnd.nextDouble();
          }
          routes.add(PathSearch.shortest(graph, src[i], dst[i], e -> w[e]));
        }
      }
      case DFL, UNPRUNED -> {
        int[] used = new int[1];
        routes = dflRoutes(src, dst, used);
        iterations = used[0];
      }
      default -> throw new IllegalStateException("unhandled strategy " + strategy);
    }
    RoutingPlan plan = evaluate(flows, src, routes, strategy, iterations);
    if (strategy == RoutingStrategy.DFL) {
      for (FlowPlan fp : plan.flows()) {
        if (fp.retention() <= 0 || fp.retention() < minRetention) {
          double delay = fp.links().stream().mapToDouble(e -> graph.link(e).delaySeconds()).sum();
          throw new InfeasibleBudgetException(fp.flow().source(), String.format(java.util.Locale.ROOT,
              "retention %.4g (minimum %.4g) on path %s with fixed delay %.4g s, budget %.4g s",
              fp.retention(), minRetention, String.join("-", fp.path()), delay, budget));
        }
      }
    }
    LOG.debug("{}", plan.report());
    return plan;
  }

  private List<List<Integer>> dflRoutes(int[] src, int[] dst, int[] iterationsUsed) {
    int f = src.length;
    int links = graph.links().size();
    List<List<Integer>> routes = new ArrayList<>();
    List<List<Integer>> hop = new ArrayList<>();
    List<List<Integer>> wide = new ArrayList<>();
    for (int i = 0; i < f; i++) {
      routes.add(PathSearch.shortest(graph, src[i], dst[i], e -> weight(e, 1)));
      hop.add(PathSearch.minHop(graph, src[i], dst[i]));
      wide.add(PathSearch.widest(graph, src[i], dst[i]));
    }
    // Start from the best of the independent routings (spec Dijkstra first on ties).
    double bestScore = score(routes);
    for (List<List<Integer>> start : List.of(hop, wide)) {
      double s = score(start);
      if (s > bestScore + 1e-12) {
        bestScore = s;
        routes = new ArrayList<>(start);
      }
    }
    int it = 1;
    while (it < maxIterations) {
      int[] load = loads(routes, links);
      boolean changed = false;
      for (int i = 0; i < f; i++) {
        List<Integer> current = routes.get(i);
        for (int e : current) {
          load[e]--;
        }
        int[] others = load;
        List<Integer> selfish = PathSearch.shortest(graph, src[i], dst[i], e -> weight(e, others[e] + 1));
        List<Integer> chosen = current;
        double chosenScore = bestScore;
        for (List<Integer> cand : List.of(selfish, routes.get(i), hop.get(i), wide.get(i))) {
          if (cand.equals(chosen)) {
            continue;
          }
          routes.set(i, cand);
          double sc = score(routes);
          if (sc > chosenScore + 1e-12) {
            chosenScore = sc;
            chosen = cand;
          }
        }
        routes.set(i, chosen);
        if (!chosen.equals(current)) {
          changed = true;
          bestScore = chosenScore;
        }
        for (int e : chosen) {
          load[e]++;
        }
      }
      it++;
      if (!changed) {
        break;
      }
    }
    iterationsUsed[0] = it;
    return routes;
  }

  private double weight(int e, int sharers) {
    Link l = graph.link(e);
    return sharers / l.rateBitsPerSecond() + l.delaySeconds() / modelBits;
  }

  private double score(List<List<Integer>> routes) {
    int[] load = loads(routes, graph.links().size());
    double s = 0;
    for (List<Integer> r : routes) {
      s += rho(r, load);
    }
    return s;
  }

  private double rho(List<Integer> route, int[] load) {
    double inv = 0;
    double delay = 0;
    for (int e : route) {
      inv += load[e] / graph.link(e).rateBitsPerSecond();
      delay += graph.link(e).delaySeconds();
    }
    return retention(modelBits, budget, inv, delay);
  }

  private static int[] loads(List<List<Integer>> routes, int links) {
    int[] load = new int[links];
    for (List<Integer> r : routes) {
      for (int e : r) {
        load[e]++;
      }
    }
    return load;
  }

  private RoutingPlan evaluate(List<Flow> flows, int[] src, List<List<Integer>> routes, RoutingStrategy strategy,
      int iterations) {
    int[] load = loads(routes, graph.links().size());
    List<FlowPlan> plans = new ArrayList<>();
    for (int i = 0; i < flows.size(); i++) {
      List<Integer> r = routes.get(i);
      double rho = strategy == RoutingStrategy.UNPRUNED ? 1.0 : rho(r, load);
      double latency = 0;
      for (int e : r) {
        Link l = graph.link(e);
        latency += rho * modelBits * load[e] / l.rateBitsPerSecond() + l.delaySeconds();
      }
      List<String> names = new ArrayList<>();
      for (int v : PathSearch.nodes(graph, src[i], r)) {
        names.add(graph.client(v));
      }
      plans.add(new FlowPlan(flows.get(i), names, r, rho, latency, latency <= budget * (1 + 1e-9)));
    }
    return new RoutingPlan(strategy, plans, load, iterations, modelBits, budget);
  }

  /** Builder of a {@link RoutingPlanner}. */
  public static final class Builder {
    private CommunicationGraph graph;
    private double modelBits = Double.NaN;
    private double budget = Double.NaN;
    private int maxIterations = 10;
    private double minRetention = 0;
    private long seed = 0;

    private Builder() {}

    /** The communication graph (required). */
    public Builder setGraph(CommunicationGraph graph) {
      this.graph = graph;
      return this;
    }

    /** Full model size {@code Q} in bits (required, positive). */
    public Builder setModelBits(double bits) {
      this.modelBits = bits;
      return this;
    }

    /** Per-round latency budget {@code T_max} in seconds (required, positive). */
    public Builder setLatencyBudget(double seconds) {
      this.budget = seconds;
      return this;
    }

    /** Shared-link iterations, at least 1 (default 10). */
    public Builder optMaxIterations(int n) {
      this.maxIterations = n;
      return this;
    }

    /** D-FL fails with {@link InfeasibleBudgetException} when a client's rate is below this (default 0). */
    public Builder optMinRetention(double rho) {
      this.minRetention = rho;
      return this;
    }

    /** Seed of the RANDOM baseline (default 0). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds the planner.
     *
     * @throws IllegalArgumentException naming the missing or out-of-range setting
     */
    public RoutingPlanner build() {
      Objects.requireNonNull(graph, "graph is required (setGraph)");
      if (!(modelBits > 0) || !Double.isFinite(modelBits)) {
        throw new IllegalArgumentException("model size must be positive and finite (setModelBits), got " + modelBits);
      }
      if (!(budget > 0) || !Double.isFinite(budget)) {
        throw new IllegalArgumentException("latency budget must be positive and finite (setLatencyBudget), got "
            + budget + " s");
      }
      if (maxIterations < 1) {
        throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
      }
      if (!(minRetention >= 0 && minRetention <= 1)) {
        throw new IllegalArgumentException("minRetention must be in [0, 1], got " + minRetention);
      }
      return new RoutingPlanner(this);
    }
  }
}
