package org.prunekit.dynamic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates per-input {@link InferenceCost}s over an evaluation run and reports means. Not
 * thread-safe; use one per evaluation thread.
 */
public final class CostMeter {
  private InferenceCost total = InferenceCost.ZERO;
  private long inputs;

  /** Records the cost of one input. */
  public void record(InferenceCost cost) {
    total = total.plus(cost);
    inputs++;
  }

  /** Number of inputs recorded. */
  public long inputs() {
    return inputs;
  }

  /** The summed cost of all inputs. */
  public InferenceCost total() {
    return total;
  }

  /** Mean MACs per input (0 when nothing was recorded). */
  public double meanMacs() {
    return inputs == 0 ? 0 : (double) total.macs() / inputs;
  }

  /** Mean memory traffic per input in bytes. */
  public double meanMemoryAccessBytes() {
    return inputs == 0 ? 0 : (double) total.memoryAccessBytes() / inputs;
  }

  /** Mean network evaluations per input. */
  public double meanNetworkEvaluations() {
    return inputs == 0 ? 0 : (double) total.networkEvaluations() / inputs;
  }

  /** Mean of each named counter per input. */
  public Map<String, Double> meanCounters() {
    Map<String, Double> m = new LinkedHashMap<>();
    total.counters().forEach((k, v) -> m.put(k, inputs == 0 ? 0 : v / inputs));
    return m;
  }
}
