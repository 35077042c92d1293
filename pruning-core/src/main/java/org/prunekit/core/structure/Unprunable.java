package org.prunekit.core.structure;

import java.util.Objects;

/**
 * Why a set of coupled channels cannot be pruned.
 *
 * @param node the node (or graph input) at fault, e.g. an ambiguous reshape or a graph output
 * @param reason what the coupling rules could not follow, in words
 * @param channels the root of the affected group, e.g. {@code "conv1 output channels"}
 */
public record Unprunable(String node, String reason, String channels) {
  /** Validates the fields. */
  public Unprunable {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(channels, "channels");
  }

  @Override
  public String toString() {
    return "'" + node + "': " + reason + " (" + channels + ")";
  }
}
