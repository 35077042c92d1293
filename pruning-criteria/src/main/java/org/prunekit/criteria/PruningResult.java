package org.prunekit.criteria;

import java.util.Objects;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.mask.SparsityReport;

/**
 * What {@link Pruning#prune} did.
 *
 * @param masks the masks now attached to the graph (one per target parameter, in target order)
 * @param report the sparsity of the target parameters after pruning
 */
public record PruningResult(MaskSet masks, SparsityReport report) {
  /** Validates non-null parts. */
  public PruningResult {
    Objects.requireNonNull(masks, "masks");
    Objects.requireNonNull(report, "report");
  }
}
