package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.ShapeException;

/** Small shared checks for shape rules. */
final class ShapeChecks {
  private ShapeChecks() {}

  static void require(boolean ok, String node, List<Shape> inputs, String reason) {
    if (!ok) {
      throw new ShapeException(node, reason, inputs);
    }
  }

  static void positive(String what, int... values) {
    for (int v : values) {
      if (v <= 0) {
        throw new IllegalArgumentException(what + " must be positive, got " + v);
      }
    }
  }

  static int[] filled(int n, int v) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  static void length(String what, int[] a, int n) {
    if (a.length != n) {
      throw new IllegalArgumentException(what + " needs " + n + " values, got " + a.length);
    }
  }
}
