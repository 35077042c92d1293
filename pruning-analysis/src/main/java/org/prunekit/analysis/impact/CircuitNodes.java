package org.prunekit.analysis.impact;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.Linear;

/**
 * The nodes of a circuit (spec 3.9): every attention head of every {@link Attention} node, and
 * every hidden neuron of every MLP, an {@link Activation} node fed by one {@link Linear} ({@code
 * fc1}) and read only by one {@link Linear} ({@code fc2}).
 *
 * @param attention the attention nodes, in graph order
 * @param mlps the MLPs, in graph order
 */
public record CircuitNodes(List<AttentionSite> attention, List<MlpSite> mlps) {
  /** Copies the lists. */
  public CircuitNodes {
    attention = List.copyOf(attention);
    mlps = List.copyOf(mlps);
  }

  /**
   * An attention node and its head geometry.
   *
   * @param node the attention node's name
   * @param heads query heads
   * @param kvHeads key/value heads
   * @param headDim values per head
   */
  public record AttentionSite(String node, int heads, int kvHeads, int headDim) {}

  /**
   * An MLP: {@code fc2(act(fc1(x)))}.
   *
   * @param fc1 the first linear node (one output per neuron)
   * @param activation the activation node whose outputs are the neurons
   * @param fc2 the second linear node (one input per neuron)
   * @param neurons hidden neurons
   */
  public record MlpSite(String fc1, String activation, String fc2, int neurons) {}

  /**
   * Finds the attention nodes and MLPs of {@code graph}.
   *
   * @throws IllegalArgumentException if the graph has neither
   */
  public static CircuitNodes discover(Graph graph) {
    Objects.requireNonNull(graph, "graph");
    List<AttentionSite> att = new ArrayList<>();
    List<MlpSite> mlps = new ArrayList<>();
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Attention a) {
        att.add(new AttentionSite(n.name(), a.numHeads(), a.numKvHeads(), a.headDim()));
      } else if (n.op() instanceof Activation && n.inputs().size() == 1 && graph.hasNode(n.inputs().get(0))) {
        Node fc1 = graph.node(n.inputs().get(0));
        List<Node> readers = graph.consumers(n.name());
        if (fc1.op() instanceof Linear l1 && readers.size() == 1 && readers.get(0).op() instanceof Linear l2
            && l2.inFeatures() == l1.outFeatures() && graph.consumers(fc1.name()).size() == 1) {
          mlps.add(new MlpSite(fc1.name(), n.name(), readers.get(0).name(), l1.outFeatures()));
        }
      }
    }
    if (att.isEmpty() && mlps.isEmpty()) {
      throw new IllegalArgumentException("graph has no attention node and no linear-activation-linear MLP: no circuit nodes");
    }
    return new CircuitNodes(att, mlps);
  }

  /** Total number of nodes: all heads plus all MLP neurons. */
  public int nodeCount() {
    int n = 0;
    for (AttentionSite a : attention) {
      n += a.heads();
    }
    for (MlpSite m : mlps) {
      n += m.neurons();
    }
    return n;
  }

  /** A mask with every node active. */
  public NodeMask allActive() {
    List<boolean[]> h = new ArrayList<>();
    for (AttentionSite a : attention) {
      boolean[] b = new boolean[a.heads()];
      java.util.Arrays.fill(b, true);
      h.add(b);
    }
    List<boolean[]> m = new ArrayList<>();
    for (MlpSite s : mlps) {
      boolean[] b = new boolean[s.neurons()];
      java.util.Arrays.fill(b, true);
      m.add(b);
    }
    return new NodeMask(h, m);
  }
}
