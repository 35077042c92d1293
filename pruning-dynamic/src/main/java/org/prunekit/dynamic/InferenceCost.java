package org.prunekit.dynamic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The work one input actually cost on the execution path: multiply-accumulates, bytes of memory
 * traffic (weights, activations read and written), network evaluations, and named extra counters
 * (frames kept, tokens kept, layers skipped, heavy-expert calls...). Every dynamic controller
 * reports one per input beside its output, so savings are measured, not estimated after the fact.
 *
 * @param macs multiply-accumulates executed
 * @param memoryAccessBytes bytes read and written by the executed operations
 * @param networkEvaluations number of forward passes of the controlled network (NFE)
 * @param counters named extra counters, in insertion order (never null, copied)
 */
public record InferenceCost(long macs, long memoryAccessBytes, long networkEvaluations, Map<String, Double> counters) {
  /** No work at all. */
  public static final InferenceCost ZERO = new InferenceCost(0, 0, 0, Map.of());

  /** Validates that every figure is non-negative and copies the counters. */
  public InferenceCost {
    if (macs < 0 || memoryAccessBytes < 0 || networkEvaluations < 0) {
      throw new IllegalArgumentException(
          "costs must be >= 0, got macs=" + macs + " bytes=" + memoryAccessBytes + " nfe=" + networkEvaluations);
    }
    counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters == null ? Map.of() : counters));
    for (Map.Entry<String, Double> e : counters.entrySet()) {
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException("counter '" + e.getKey() + "' is not finite: " + e.getValue());
      }
    }
  }

  /** A cost with MACs and bytes and no extra counters. */
  public static InferenceCost of(long macs, long memoryAccessBytes, long networkEvaluations) {
    return new InferenceCost(macs, memoryAccessBytes, networkEvaluations, Map.of());
  }

  /** Returns a copy with one more (or a replaced) named counter. */
  public InferenceCost withCounter(String name, double value) {
    Map<String, Double> m = new LinkedHashMap<>(counters);
    m.put(name, value);
    return new InferenceCost(macs, memoryAccessBytes, networkEvaluations, m);
  }

  /** Adds two costs; counters with the same name are summed. */
  public InferenceCost plus(InferenceCost other) {
    Map<String, Double> m = new LinkedHashMap<>(counters);
    other.counters.forEach((k, v) -> m.merge(k, v, Double::sum));
    return new InferenceCost(
        macs + other.macs,
        memoryAccessBytes + other.memoryAccessBytes,
        networkEvaluations + other.networkEvaluations,
        m);
  }

  /** Fraction of MACs saved relative to {@code dense} (0 when dense has no MACs). */
  public double macSavingVs(InferenceCost dense) {
    return dense.macs == 0 ? 0.0 : 1.0 - (double) macs / dense.macs;
  }

  /** Fraction of memory traffic saved relative to {@code dense}. */
  public double memorySavingVs(InferenceCost dense) {
    return dense.memoryAccessBytes == 0 ? 0.0 : 1.0 - (double) memoryAccessBytes / dense.memoryAccessBytes;
  }
}
