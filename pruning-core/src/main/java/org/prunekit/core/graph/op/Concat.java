package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;

/** Concatenation along {@code axis} (in full-shape terms, batch = 0; default 1 = channels). */
public record Concat(int axis) implements Op {
  /** Validates the axis. */
  public Concat {
    if (axis < 1) {
      throw new IllegalArgumentException("concat axis must be >= 1 (not the batch), got " + axis);
    }
  }

  @Override
  public String type() {
    return "concat";
  }

  @Override
  public int arity() {
    return -1;
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    ShapeChecks.require(in.size() >= 2, node, in, "concat needs at least two inputs");
    Shape first = in.get(0);
    ShapeChecks.require(axis < first.rank(), node, in, "concat axis " + axis + " >= rank " + first.rank());
    int total = 0;
    for (Shape s : in) {
      ShapeChecks.require(s.rank() == first.rank(), node, in, "concat inputs differ in rank");
      for (int i = 0; i < s.rank(); i++) {
        ShapeChecks.require(i == axis || s.get(i) == first.get(i), node, in, "concat inputs differ off axis " + axis);
      }
      total += s.get(axis);
    }
    return first.with(axis, total);
  }
}
