package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;

/** Element-wise product of two or more inputs of equal shape (e.g. the gate of SwiGLU). */
public record Mul() implements Op {
  @Override
  public String type() {
    return "mul";
  }

  @Override
  public int arity() {
    return -1;
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    return Elementwise.sameShape(node, in, "mul");
  }
}
