package org.prunekit.core.graph;

import java.util.List;

/** Thrown when shapes do not fit a node; the message names the node and the shapes at fault. */
public class ShapeException extends IllegalArgumentException {
  private final String nodeName;

  /** Creates the exception for {@code nodeName}. */
  public ShapeException(String nodeName, String reason, List<Shape> inputs) {
    super("node '" + nodeName + "': " + reason + " (input shapes " + inputs + ")");
    this.nodeName = nodeName;
  }

  /** The name of the node whose shapes do not fit. */
  public String nodeName() {
    return nodeName;
  }
}
