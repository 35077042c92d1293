package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;

/** Element-wise sum of two or more inputs of equal shape (a residual connection). */
public record Add() implements Op {
  @Override
  public String type() {
    return "add";
  }

  @Override
  public int arity() {
    return -1;
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    return Elementwise.sameShape(node, in, "add");
  }
}
