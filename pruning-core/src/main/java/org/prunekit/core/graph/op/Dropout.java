package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;

/** Dropout with probability {@code rate} during training; the identity at inference. */
public record Dropout(float rate) implements Op {
  /** Validates the rate. */
  public Dropout {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
  }

  @Override
  public String type() {
    return "dropout";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    return in.get(0);
  }
}
