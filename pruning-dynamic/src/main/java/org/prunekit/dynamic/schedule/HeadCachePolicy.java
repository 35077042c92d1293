package org.prunekit.dynamic.schedule;

/**
 * The diffusion-head cache rule of FlashU (spec 3.5 (d)) with period {@code T_cache}: on steps
 * where {@code step % T_cache == 0} the cacheable part ({@code diffusion_head_a}) is computed and
 * its output stored; on other steps the stored output is reused if one exists (so steps {@code 1
 * .. T_cache - 1} compute, nothing being stored yet); the part after it ({@code diffusion_head_b},
 * the time-conditioned final layer) always runs. In the full-network phase the cache is disabled
 * and cleared. With {@code T_cache = 5, T = 35, τ = 11}: stores on 5, 10, 15, 20; reuses on 6-9,
 * 11-14, 16-19, 21-24; computes on 1-4 and 25-35.
 *
 * @param period {@code T_cache >= 1}; FlashU's default is 5 ({@code 1} stores every step and never
 *     reuses)
 */
public record HeadCachePolicy(int period) {
  /**
   * Validates the period.
   *
   * @throws IllegalArgumentException if {@code period < 1}
   */
  public HeadCachePolicy {
    if (period < 1) {
      throw new IllegalArgumentException("cache period T_cache must be >= 1, got " + period);
    }
  }

  /**
   * The action of a step.
   *
   * @param step the 1-indexed step
   * @param fullPhase whether the step runs the full network (cache disabled and cleared)
   * @param hasStored whether an output is stored from an earlier step
   */
  public CacheAction action(int step, boolean fullPhase, boolean hasStored) {
    if (step < 1) {
      throw new IllegalArgumentException("steps are 1-indexed, got " + step);
    }
    if (fullPhase) {
      return CacheAction.COMPUTE;
    }
    if (step % period == 0) {
      return CacheAction.COMPUTE_AND_STORE;
    }
    return hasStored ? CacheAction.REUSE : CacheAction.COMPUTE;
  }
}
