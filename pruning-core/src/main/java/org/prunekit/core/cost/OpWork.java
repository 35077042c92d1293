package org.prunekit.core.cost;

/**
 * What an op's counting rule yields before memory accounting.
 *
 * @param macs dense multiply-accumulates
 * @param effectiveMacs multiply-accumulates with zero weights skipped
 * @param elementOps non-MAC element operations
 * @param traffic how the node's memory traffic is counted
 */
record OpWork(long macs, long effectiveMacs, long elementOps, Traffic traffic) {
  /** Memory traffic models. */
  enum Traffic {
    /** A view (reshape, flatten, identity, inference dropout): no bytes moved. */
    NONE,
    /** Every input activation and parameter read once, the output written once. */
    DENSE,
    /** Embedding: token ids read, one table row gathered per token, the output written. */
    GATHER
  }

  static OpWork view() {
    return new OpWork(0, 0, 0, Traffic.NONE);
  }

  static OpWork elementwise(long elementOps) {
    return new OpWork(0, 0, elementOps, Traffic.DENSE);
  }
}
