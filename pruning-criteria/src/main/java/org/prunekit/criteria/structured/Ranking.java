package org.prunekit.criteria.structured;

/** Where units compete for removal. */
public enum Ranking {
  /** Every group loses the same fraction of its units, chosen by score within the group. */
  LOCAL,
  /**
   * All units of all groups are ranked together by normalised score ({@link ScoreNormalizer}), so
   * groups with less important units lose more.
   */
  GLOBAL
}
