package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;

final class Elementwise {
  private Elementwise() {}

  static Shape sameShape(String node, List<Shape> in, String what) {
    ShapeChecks.require(in.size() >= 2, node, in, what + " needs at least two inputs");
    for (Shape s : in) {
      ShapeChecks.require(s.equals(in.get(0)), node, in, what + " needs inputs of equal shape");
    }
    return in.get(0);
  }
}
