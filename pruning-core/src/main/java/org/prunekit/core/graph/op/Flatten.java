package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;

/** Flattens dimensions {@code startDim..end} into one (startDim counts the batch as 0; default 1). */
public record Flatten(int startDim) implements Op {
  /** Validates the start axis. */
  public Flatten {
    if (startDim < 1) {
      throw new IllegalArgumentException("flatten startDim must be >= 1 (the batch stays), got " + startDim);
    }
  }

  @Override
  public String type() {
    return "flatten";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(startDim < x.rank(), node, in, "flatten startDim " + startDim + " >= rank " + x.rank());
    int[] d = new int[startDim + 1];
    for (int i = 0; i < startDim; i++) {
      d[i] = x.get(i);
    }
    d[startDim] = Math.toIntExact(x.sizeFrom(startDim));
    return new Shape(d);
  }
}
