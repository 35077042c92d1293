package org.prunekit.analysis.simcert;

/** How bounds are propagated. */
public enum BoundMethod {
  /**
   * Interval bound propagation only: every bound is a constant, so the Bernstein step has no
   * variance to exploit and the result equals the worst case.
   */
  INTERVAL,
  /**
   * Interval propagation intersected with DeepPoly-style linear forms in the input through both
   * networks and their difference (the default).
   */
  SYMBOLIC
}
