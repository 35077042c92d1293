package org.prunekit.core.graph.op;

import java.util.Arrays;
import java.util.List;
import org.prunekit.core.graph.Shape;

/**
 * Reshapes each sample to {@code target} (the batch dimension is kept). One entry may be {@code
 * -1} and is inferred.
 */
public record Reshape(int[] target) implements Op {
  /** Validates the target. */
  public Reshape {
    target = target.clone();
    int unknown = 0;
    for (int t : target) {
      if (t == -1) {
        unknown++;
      } else if (t <= 0) {
        throw new IllegalArgumentException("reshape target " + Arrays.toString(target) + " holds " + t);
      }
    }
    if (unknown > 1) {
      throw new IllegalArgumentException("reshape target " + Arrays.toString(target) + " has more than one -1");
    }
  }

  @Override
  public String type() {
    return "reshape";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    long per = x.sizeFrom(1);
    long known = 1;
    int unknownAt = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        unknownAt = i;
      } else {
        known *= target[i];
      }
    }
    int[] d = new int[target.length + 1];
    d[0] = x.get(0);
    System.arraycopy(target, 0, d, 1, target.length);
    if (unknownAt >= 0) {
      ShapeChecks.require(per % known == 0, node, in, "cannot reshape " + per + " values to " + Arrays.toString(target));
      d[unknownAt + 1] = Math.toIntExact(per / known);
    } else {
      ShapeChecks.require(per == known, node, in, "cannot reshape " + per + " values to " + Arrays.toString(target));
    }
    return new Shape(d);
  }

  @Override
  public int[] target() {
    return target.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reshape r && Arrays.equals(r.target, target);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(target);
  }

  @Override
  public String toString() {
    return "Reshape" + Arrays.toString(target);
  }
}
