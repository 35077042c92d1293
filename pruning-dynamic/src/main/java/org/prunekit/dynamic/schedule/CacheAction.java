package org.prunekit.dynamic.schedule;

/** What a step does with the cacheable part of the network (spec 3.5 (d), the diffusion-head cache). */
public enum CacheAction {
  /** Run the cacheable part; store nothing (nothing stored yet, or the cache is off / cleared). */
  COMPUTE,
  /** Run the cacheable part and store its output ({@code step % T_cache == 0}). */
  COMPUTE_AND_STORE,
  /** Skip the cacheable part and reuse the stored output. */
  REUSE
}
