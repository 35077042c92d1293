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

  /**
   * Mean accuracy over the last {@code k} rounds (all rounds when fewer): a steadier figure than
   * the last round alone when the aggregator rotates over non-IID clients.
   */
  public double meanAccuracyLast(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    return rounds.subList(Math.max(0, rounds.size() - k), rounds.size()).stream()
        .mapToDouble(RoundRecord::accuracy).average().orElse(Double.NaN);
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

  /**
   * One table row: strategy, retention, latencies, arrivals, final accuracy and the mean accuracy
   * over the last half of the rounds.
   */
  public String row() {
    return String.format(Locale.ROOT, "| %-8s | %.3f | %.3f | %.3f | %5.1f %% | %.4f | %.4f |", strategy,
        meanRetention(), meanLatency(), meanMaxLatency(), 100 * arrivalRate(), finalAccuracy(),
        meanAccuracyLast(Math.max(1, rounds.size() / 2)));
  }

  /** The header matching {@link #row()}. */
  public static String header() {
    return "| strategy | mean rho | mean latency s | mean round latency s | arrived | final accuracy |"
        + " mean accuracy, last half |\n|---|---|---|---|---|---|---|";
  }
}
