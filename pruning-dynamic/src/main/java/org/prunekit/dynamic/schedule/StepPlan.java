package org.prunekit.dynamic.schedule;

import java.util.Objects;

/**
 * What one sampler step does: which network, what to do with the cache, and the classifier-free
 * guidance scale.
 *
 * @param step the 1-indexed step
 * @param network pruned or full network
 * @param cache compute, compute and store, or reuse the cacheable part's output
 * @param guidanceScale the CFG scale {@code s(step)}: {@code v = v_uncond + s (v_cond - v_uncond)}
 */
public record StepPlan(int step, NetworkChoice network, CacheAction cache, double guidanceScale) {
  /** Validates the fields. */
  public StepPlan {
    if (step < 1) {
      throw new IllegalArgumentException("steps are 1-indexed, got " + step);
    }
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(cache, "cache");
    if (!Double.isFinite(guidanceScale)) {
      throw new IllegalArgumentException("guidance scale of step " + step + " is not finite: " + guidanceScale);
    }
  }
}
