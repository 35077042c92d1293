package org.prunekit.analysis.simcert;

/** Which input dimension an uncertified box is bisected along. */
public enum SplitRule {
  /** The dimension of largest width (spec §3.7; ties go to the lowest index). */
  WIDEST,
  /**
   * The dimension of largest {@code width_i * Σ_j (|c_ji| + |a_ji|)} over the output difference
   * forms (the "smear" heuristic); falls back to {@link #WIDEST} when all forms are constant.
   */
  SMEAR
}
