package org.prunekit.analysis.federated;

/**
 * What happened in one simulated round.
 *
 * @param round 0-based round
 * @param aggregator the client that aggregated this round
 * @param meanRetention mean planned retention over the senders
 * @param meanKeptFraction mean fraction of entries actually sent by the senders that arrived
 * @param meanLatencySeconds mean planned transfer latency over the senders
 * @param maxLatencySeconds largest planned transfer latency (the round's communication time)
 * @param arrived senders whose model arrived within the budget and was aggregated
 * @param senders number of senders (clients other than the aggregator)
 * @param accuracy accuracy of the aggregated model after the round
 */
public record RoundRecord(int round, String aggregator, double meanRetention, double meanKeptFraction,
    double meanLatencySeconds, double maxLatencySeconds, int arrived, int senders, double accuracy) {}
