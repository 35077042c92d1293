package org.prunekit.analysis.federated;

import java.util.List;
import java.util.Locale;

/**
 * Routes and retention rates of all flows of a round.
 *
 * @param strategy how routes were chosen
 * @param flows one plan per flow, in the order given
 * @param linkLoads {@code n_e}: number of flows using each link (index order of the graph)
 * @param iterations routing iterations used (1 for the baselines)
 * @param modelBits full model size {@code Q} in bits
 * @param budgetSeconds latency budget {@code T_max}
 */
public record RoutingPlan(RoutingStrategy strategy, List<FlowPlan> flows, int[] linkLoads, int iterations,
    double modelBits, double budgetSeconds) {
  /** Copies. */
  public RoutingPlan {
    flows = List.copyOf(flows);
    linkLoads = linkLoads.clone();
  }

  /** A copy of the link loads. */
  @Override
  public int[] linkLoads() {
    return linkLoads.clone();
  }

  /** {@code sum_i rho_i}, the objective D-FL maximises. */
  public double sumRetention() {
    return flows.stream().mapToDouble(FlowPlan::retention).sum();
  }

  /** Mean retention over flows. */
  public double meanRetention() {
    return flows.isEmpty() ? 0 : sumRetention() / flows.size();
  }

  /** Largest flow latency (the round's communication time when flows run in parallel). */
  public double maxLatency() {
    return flows.stream().mapToDouble(FlowPlan::latencySeconds).max().orElse(0);
  }

  /** Mean flow latency. */
  public double meanLatency() {
    return flows.stream().mapToDouble(FlowPlan::latencySeconds).average().orElse(0);
  }

  /** Number of flows whose latency exceeds the budget. */
  public int overBudget() {
    return (int) flows.stream().filter(f -> !f.withinBudget()).count();
  }

  /**
   * The plan of the flow leaving {@code source} (the first one, when several do).
   *
   * @throws IllegalArgumentException when no flow leaves {@code source}
   */
  public FlowPlan flowFrom(String source) {
    return flows.stream().filter(f -> f.flow().source().equals(source)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no flow from client '" + source + "' in this plan"));
  }

  /** A multi-line table: one line per flow, then totals. */
  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s: %d flow(s), Q = %.4g bit, T_max = %.4g s, %d iteration(s)%n",
        strategy, flows.size(), modelBits, budgetSeconds, iterations));
    for (FlowPlan f : flows) {
      sb.append(String.format(Locale.ROOT, "  %-8s -> %-8s rho=%.4f latency=%.4f s%s  path=%s%n",
          f.flow().source(), f.flow().destination(), f.retention(), f.latencySeconds(),
          f.withinBudget() ? "" : " (over budget)", String.join("-", f.path())));
    }
    sb.append(String.format(Locale.ROOT, "  sum rho=%.4f mean rho=%.4f mean latency=%.4f s max latency=%.4f s",
        sumRetention(), meanRetention(), meanLatency(), maxLatency()));
    return sb.toString();
  }
}
