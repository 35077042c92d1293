package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;

/** Passes its input through unchanged. */
public record Identity() implements Op {
  @Override
  public String type() {
    return "identity";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    return in.get(0);
  }
}
