package org.prunekit.criteria;

import java.util.Map;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

/** Small graphs for criterion tests. */
public final class TestGraphs {
  private TestGraphs() {}

  /** One linear layer "fc" (no bias) with weight {@code w} of shape {@code [out, in]}. */
  public static Graph linear(float[] w, int out, int in) {
    return GraphBuilder.create(0).input("x", in)
        .node("fc", new Linear(in, out, false), Map.of("weight", Tensor.of(w.clone(), out, in)), "x").build();
  }

  /** Linear layers "a" ({@code [outA, in]}) and "b" ({@code [outB, in]}) reading the same input. */
  public static Graph twoLinears(float[] a, int outA, float[] b, int outB, int in) {
    return GraphBuilder.create(0).input("x", in)
        .node("a", new Linear(in, outA, false), Map.of("weight", Tensor.of(a.clone(), outA, in)), "x").output()
        .node("b", new Linear(in, outB, false), Map.of("weight", Tensor.of(b.clone(), outB, in)), "x").output()
        .build();
  }

  /** The mask of {@code param}, or null without one. */
  public static float[] mask(Graph g, String param) {
    return g.parameter(param).hasMask() ? g.parameter(param).mask().data() : null;
  }
}
