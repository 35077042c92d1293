package org.prunekit.criteria.structured;

import java.util.Objects;

/**
 * How one group's width changed.
 *
 * @param root the group's root, e.g. {@code "conv1 output channels"}
 * @param unitsBefore units before pruning
 * @param unitsAfter units after pruning
 * @param leftAlone true if the spec left the group alone
 */
public record GroupChange(String root, int unitsBefore, int unitsAfter, boolean leftAlone) {
  /** Validates the fields. */
  public GroupChange {
    Objects.requireNonNull(root, "root");
    if (unitsAfter < 1 || unitsAfter > unitsBefore) {
      throw new IllegalArgumentException("group '" + root + "': units after (" + unitsAfter
          + ") must be in 1.." + unitsBefore);
    }
  }

  /** Units removed. */
  public int removed() {
    return unitsBefore - unitsAfter;
  }
}
