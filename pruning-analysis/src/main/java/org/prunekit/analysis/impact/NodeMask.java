package org.prunekit.analysis.impact;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A binary circuit: which heads of each attention node and which neurons of each MLP are active
 * ({@link CircuitNodes} order).
 *
 * @param heads one array per attention node, one flag per query head
 * @param neurons one array per MLP, one flag per hidden neuron
 */
public record NodeMask(List<boolean[]> heads, List<boolean[]> neurons) {
  /** Deep-copies the flags. */
  public NodeMask {
    heads = copy(heads);
    neurons = copy(neurons);
  }

  private static List<boolean[]> copy(List<boolean[]> in) {
    List<boolean[]> out = new ArrayList<>(in.size());
    for (boolean[] b : in) {
      out.add(b.clone());
    }
    return Collections.unmodifiableList(out);
  }

  /** Number of nodes. */
  public int total() {
    int n = 0;
    for (boolean[] b : heads) {
      n += b.length;
    }
    for (boolean[] b : neurons) {
      n += b.length;
    }
    return n;
  }

  /** Number of active nodes. */
  public int active() {
    int n = 0;
    for (boolean[] b : heads) {
      n += count(b);
    }
    for (boolean[] b : neurons) {
      n += count(b);
    }
    return n;
  }

  /** Active heads only. */
  public int activeHeads() {
    int n = 0;
    for (boolean[] b : heads) {
      n += count(b);
    }
    return n;
  }

  /** Spec 3.9 active-node fraction: {@code #{m_n = 1} / #nodes}. */
  public double activeFraction() {
    int t = total();
    return t == 0 ? 0 : (double) active() / t;
  }

  /**
   * Checks that this mask matches {@code nodes} in count and sizes.
   *
   * @throws IllegalArgumentException naming the node whose size differs
   */
  public void requireMatches(CircuitNodes nodes) {
    if (heads.size() != nodes.attention().size() || neurons.size() != nodes.mlps().size()) {
      throw new IllegalArgumentException("node mask has " + heads.size() + " attention and " + neurons.size()
          + " MLP entries; the graph has " + nodes.attention().size() + " and " + nodes.mlps().size());
    }
    for (int i = 0; i < heads.size(); i++) {
      CircuitNodes.AttentionSite a = nodes.attention().get(i);
      if (heads.get(i).length != a.heads()) {
        throw new IllegalArgumentException("node mask: attention '" + a.node() + "' has " + a.heads() + " heads, mask has "
            + heads.get(i).length);
      }
    }
    for (int i = 0; i < neurons.size(); i++) {
      CircuitNodes.MlpSite m = nodes.mlps().get(i);
      if (neurons.get(i).length != m.neurons()) {
        throw new IllegalArgumentException("node mask: MLP '" + m.activation() + "' has " + m.neurons() + " neurons, mask has "
            + neurons.get(i).length);
      }
    }
  }

  private static int count(boolean[] b) {
    int n = 0;
    for (boolean x : b) {
      n += x ? 1 : 0;
    }
    return n;
  }
}
