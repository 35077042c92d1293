package org.prunekit.analysis.impact;

import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;

/**
 * Spec 3.9 circuit edges: the number of <em>non-zero</em> weights (value times mask, if any) that
 * connect two active units. Residual-stream dimensions are always-active endpoints, so:
 *
 * <ul>
 *   <li>attention: for each active query head {@code h}, the non-zeros of rows {@code [h*hd,
 *       (h+1)*hd)} of {@code q_weight} and of columns {@code [h*hd, (h+1)*hd)} of {@code o_weight};
 *       for each key/value head with at least one active query head (grouped-query attention), the
 *       non-zeros of its rows of {@code k_weight} and {@code v_weight};
 *   <li>MLP: for each active neuron {@code j}, the non-zeros of row {@code j} of {@code fc1.weight}
 *       and of column {@code j} of {@code fc2.weight}.
 * </ul>
 *
 * Biases are not edges.
 */
public final class CircuitEdges {
  private CircuitEdges() {}

  /**
   * Counts the edges of {@code mask} in {@code graph}.
   *
   * @throws IllegalArgumentException if the mask does not fit the graph's nodes
   */
  public static long count(Graph graph, CircuitNodes nodes, NodeMask mask) {
    Objects.requireNonNull(graph, "graph");
    mask.requireMatches(nodes);
    long edges = 0;
    for (int i = 0; i < nodes.attention().size(); i++) {
      CircuitNodes.AttentionSite a = nodes.attention().get(i);
      boolean[] active = mask.heads().get(i);
      int hd = a.headDim();
      int group = a.heads() / a.kvHeads();
      float[] q = effective(graph, a.node() + ".q_weight");
      float[] k = effective(graph, a.node() + ".k_weight");
      float[] v = effective(graph, a.node() + ".v_weight");
      float[] o = effective(graph, a.node() + ".o_weight");
      int model = graph.parameter(a.node() + ".q_weight").shape().get(1);
      int inner = a.heads() * hd;
      boolean[] kvActive = new boolean[a.kvHeads()];
      for (int h = 0; h < a.heads(); h++) {
        if (active[h]) {
          kvActive[h / group] = true;
          edges += rowNonZeros(q, model, h * hd, (h + 1) * hd);
          edges += columnNonZeros(o, inner, h * hd, (h + 1) * hd);
        }
      }
      for (int g = 0; g < a.kvHeads(); g++) {
        if (kvActive[g]) {
          edges += rowNonZeros(k, model, g * hd, (g + 1) * hd) + rowNonZeros(v, model, g * hd, (g + 1) * hd);
        }
      }
    }
    for (int i = 0; i < nodes.mlps().size(); i++) {
      CircuitNodes.MlpSite m = nodes.mlps().get(i);
      boolean[] active = mask.neurons().get(i);
      float[] w1 = effective(graph, m.fc1() + ".weight");
      float[] w2 = effective(graph, m.fc2() + ".weight");
      int in1 = graph.parameter(m.fc1() + ".weight").shape().get(1);
      for (int j = 0; j < m.neurons(); j++) {
        if (active[j]) {
          edges += rowNonZeros(w1, in1, j, j + 1) + columnNonZeros(w2, m.neurons(), j, j + 1);
        }
      }
    }
    return edges;
  }

  /** The weight values times their mask (zero where masked). */
  static float[] effective(Graph graph, String qualifiedName) {
    Parameter p = graph.parameter(qualifiedName);
    float[] v = p.value().data();
    if (!p.hasMask()) {
      return v;
    }
    float[] m = p.mask().data();
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * m[i];
    }
    return out;
  }

  private static long rowNonZeros(float[] w, int cols, int fromRow, int toRow) {
    long n = 0;
    for (int i = fromRow * cols; i < toRow * cols; i++) {
      n += w[i] != 0f ? 1 : 0;
    }
    return n;
  }

  private static long columnNonZeros(float[] w, int cols, int fromCol, int toCol) {
    long n = 0;
    int rows = w.length / cols;
    for (int r = 0; r < rows; r++) {
      for (int c = fromCol; c < toCol; c++) {
        n += w[r * cols + c] != 0f ? 1 : 0;
      }
    }
    return n;
  }
}
