package org.prunekit.dynamic.schedule;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The run-time side of the diffusion-head cache: holds the stored output of the cacheable part
 * and applies each {@link StepPlan}'s {@link CacheAction}. A stored value that is {@link
 * AutoCloseable} (e.g. a DJL array) is owned by the cache and closed when replaced or cleared; a
 * value computed on a {@link CacheAction#COMPUTE} step is not stored and stays the caller's. Counts how often the
 * cacheable part ran and how often it was skipped. Not thread-safe; one per sampling run.
 *
 * @param <V> the cached value type
 */
public final class HeadCache<V> implements AutoCloseable {
  private V stored;
  private int computed;
  private int reused;

  /**
   * The cacheable part's output for this step: reused, or computed (and stored) by {@code compute}.
   * A full-network step clears the cache first.
   *
   * @throws IllegalStateException if the plan says {@link CacheAction#REUSE} but nothing is stored
   *     (a schedule that does not match this cache's history)
   */
  public V get(StepPlan plan, Supplier<V> compute) {
    Objects.requireNonNull(plan, "plan");
    if (plan.network() == NetworkChoice.FULL) {
      clear();
    }
    switch (plan.cache()) {
      case REUSE -> {
        if (stored == null) {
          throw new IllegalStateException("step " + plan.step() + " reuses the head cache but nothing is stored");
        }
        reused++;
        return stored;
      }
      case COMPUTE_AND_STORE -> {
        V v = Objects.requireNonNull(compute.get(), "computed head output");
        computed++;
        if (v != stored) {
          closeStored();
        }
        stored = v;
        return v;
      }
      default -> {
        computed++;
        return Objects.requireNonNull(compute.get(), "computed head output");
      }
    }
  }

  /** Times the cacheable part ran. */
  public int computed() {
    return computed;
  }

  /** Times it was skipped (its stored output reused). */
  public int reused() {
    return reused;
  }

  /** Drops (and closes) the stored value. */
  public void clear() {
    closeStored();
    stored = null;
  }

  @Override
  public void close() {
    clear();
  }

  private void closeStored() {
    if (stored instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the cached head output failed", e);
      }
    }
  }
}
