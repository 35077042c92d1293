package org.prunekit.analysis.federated;

import java.util.List;
import java.util.Locale;

/**
 * A whole simulated run with one routing strategy.
 *
 * @param strategy the routing strategy
 * @param rounds per-round records
 * @param seconds wall time of the run (training included)
 */
public record SimulationResult(RoutingStrategy strategy, List<RoundRecord> rounds, double seconds) {
  /** Copies the list. */
  public SimulationResult {
    rounds = List.copyOf(rounds);
  }

  /** Accuracy after the last round. */
  public double finalAccuracy() {
    return rounds.isEmpty() ? Double.NaN : rounds.get(rounds.size() - 1).accuracy();
  }

  /** Mean over rounds of the round's mean transfer latency. */
  public double meanLatency() {
    return rounds.stream().mapToDouble(RoundRecord::meanLatencySeconds).average().orElse(Double.NaN);
  }

  /** Mean over rounds of the round's largest transfer latency. */
  public double meanMaxLatency() {
    return rounds.stream().mapToDouble(RoundRecord::maxLatencySeconds).average().orElse(Double.NaN);
  }

  /** Mean over rounds of the mean planned retention. */
  public double meanRetention() {
    return rounds.stream().mapToDouble(RoundRecord::meanRetention).average().orElse(Double.NaN);
  }

  /** Fraction of sent models that arrived within the budget. */
  public double arrivalRate() {
    long a = rounds.stream().mapToLong(RoundRecord::arrived).sum();
    long s = rounds.stream().mapToLong(RoundRecord::senders).sum();
    return s == 0 ? 1 : (double) a / s;
  }

  /** One table row: strategy, retention, latencies, arrivals, final accuracy. */
  public String row() {
    return String.format(Locale.ROOT, "| %-8s | %.3f | %.3f | %.3f | %5.1f %% | %.4f |", strategy, meanRetention(),
        meanLatency(), meanMaxLatency(), 100 * arrivalRate(), finalAccuracy());
  }

  /** The header matching {@link #row()}. */
  public static String header() {
    return "| strategy | mean rho | mean latency s | mean round latency s | arrived | final accuracy |\n"
        + "|---|---|---|---|---|---|";
  }
}
