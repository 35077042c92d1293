package org.prunekit.criteria.calibration;

import java.util.List;
import java.util.Objects;

/**
 * One block of a {@link BlockPartition}: consecutive graph nodes that read one value from outside
 * (the block input, e.g. the residual stream) and hand one value on (the block output).
 *
 * @param name the block's name, for messages (e.g. {@code "layers.0."})
 * @param nodes the block's node names, in graph order
 * @param input the one value from outside the block its nodes read (a graph input or an earlier
 *     node)
 * @param output the block node whose value later nodes (or the graph outputs) read
 */
public record Block(String name, List<String> nodes, String input, String output) {
  /** Copies the node list and checks the parts. */
  public Block {
    Objects.requireNonNull(name, "name");
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("block '" + name + "' has no nodes");
    }
    if (!nodes.contains(output)) {
      throw new IllegalArgumentException("block '" + name + "': output '" + output + "' is not one of its nodes");
    }
  }
}
