package org.prunekit.dynamic.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * FlashU's generation-side step schedule (spec 3.5 (b), (d), (e)) for any fixed-step sampler: the
 * {@link HybridPolicy} picks the pruned or full network, the {@link HeadCachePolicy} (optional)
 * decides compute / store / reuse of the cacheable part, and the {@link GuidanceSchedule} gives the
 * guidance scale. The cache decision of every step is derived by running the cache rule over steps
 * {@code 1..T} (the cache is cleared in the full phase), so {@link #plan} is a pure function of
 * the step.
 *
 * <pre>{@code
 * SamplerSchedule s = FlashUSchedule.builder().setTotalSteps(35).optFullSteps(11).optCachePeriod(5)
 *     .optGuidance(GuidanceSchedule.flashUDefault()).build();
 * s.plan(6);   // StepPlan[step=6, network=PRUNED, cache=REUSE, guidanceScale=7.5]
 * s.plan(30);  // StepPlan[step=30, network=FULL, cache=COMPUTE, guidanceScale=10.0]
 * }</pre>
 */
public final class FlashUSchedule implements SamplerSchedule {
  private final HybridPolicy hybrid;
  private final HeadCachePolicy cache;
  private final GuidanceSchedule guidance;
  private final List<StepPlan> plans;

  private FlashUSchedule(HybridPolicy hybrid, HeadCachePolicy cache, GuidanceSchedule guidance) {
    this.hybrid = hybrid;
    this.cache = cache;
    this.guidance = guidance;
    List<StepPlan> p = new ArrayList<>();
    boolean stored = false;
    for (int s = 1; s <= hybrid.totalSteps(); s++) {
      boolean full = hybrid.useFull(s);
      CacheAction a = cache == null ? CacheAction.COMPUTE : cache.action(s, full, stored);
      if (full) {
        stored = false; // disabled and cleared in the full phase
      } else if (a == CacheAction.COMPUTE_AND_STORE) {
        stored = true;
      }
      p.add(new StepPlan(s, hybrid.network(s), a, guidance.scale(s)));
    }
    this.plans = List.copyOf(p);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** FlashU's defaults: {@code T = 35, τ = 11, T_cache = 5}, guidance {@code [(24, 7.5), (11, 10)]}, s0 10. */
  public static FlashUSchedule flashUDefault() {
    return builder().setTotalSteps(35).optFullSteps(11).optCachePeriod(5)
        .optGuidance(GuidanceSchedule.flashUDefault()).build();
  }

  @Override
  public int totalSteps() {
    return hybrid.totalSteps();
  }

  @Override
  public StepPlan plan(int step) {
    SamplerSchedule.checkStep(step, totalSteps());
    return plans.get(step - 1);
  }

  @Override
  public List<StepPlan> plans() {
    return plans;
  }

  /** The hybrid policy. */
  public HybridPolicy hybrid() {
    return hybrid;
  }

  /** The guidance schedule. */
  public GuidanceSchedule guidance() {
    return guidance;
  }

  /** True when the head cache is on. */
  public boolean cacheEnabled() {
    return cache != null;
  }

  /** Builder: {@code setTotalSteps} is required. */
  public static final class Builder {
    private int totalSteps = -1;
    private int fullSteps;
    private int cachePeriod;
    private GuidanceSchedule guidance = GuidanceSchedule.constant(1.0);

    private Builder() {}

    /** The number of steps {@code T}. */
    public Builder setTotalSteps(int totalSteps) {
      this.totalSteps = totalSteps;
      return this;
    }

    /** The last {@code τ} steps use the full network (default 0: the pruned network throughout). */
    public Builder optFullSteps(int fullSteps) {
      this.fullSteps = fullSteps;
      return this;
    }

    /** The head-cache period {@code T_cache >= 1}; 0 (default) turns the cache off. */
    public Builder optCachePeriod(int period) {
      this.cachePeriod = period;
      return this;
    }

    /** The guidance schedule (default constant 1: plain conditional velocity). */
    public Builder optGuidance(GuidanceSchedule guidance) {
      this.guidance = Objects.requireNonNull(guidance, "guidance");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException if {@code T} is missing or {@code < 1}, {@code τ} is outside
     *     {@code [0, T]} (e.g. larger than the step count) or the cache period is negative
     */
    public FlashUSchedule build() {
      if (totalSteps < 1) {
        throw new IllegalArgumentException("schedule needs the step count T >= 1 (setTotalSteps), got " + totalSteps);
      }
      if (cachePeriod < 0) {
        throw new IllegalArgumentException("cache period must be >= 1, or 0 for no cache; got " + cachePeriod);
      }
      return new FlashUSchedule(new HybridPolicy(totalSteps, fullSteps),
          cachePeriod == 0 ? null : new HeadCachePolicy(cachePeriod), guidance);
    }
  }
}
