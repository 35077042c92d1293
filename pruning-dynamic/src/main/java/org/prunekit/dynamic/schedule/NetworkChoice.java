package org.prunekit.dynamic.schedule;

/** Which network a sampler step calls under the hybrid policy (spec 3.5 (b)). */
public enum NetworkChoice {
  /** The pruned (cheaper) network: most steps. */
  PRUNED,
  /** The full network: the last {@code τ} steps. */
  FULL
}
