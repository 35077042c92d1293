package org.prunekit.dynamic.token;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Mul;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.RmsNorm;

/**
 * An encoder graph cut into a prefix (embedding), a chain of transformer blocks and a tail, the
 * unit that token pruning and layer skipping work on.
 *
 * <p>Blocks are found from the attention nodes: block {@code i} starts after its <em>stream
 * input</em>, the residual value the attention's {@link Add} adds the attention output to, and
 * ends at the next block's stream input (the last block ends at the last {@code Add} of the graph
 * after its attention). This fits pre-norm blocks ({@code x + attn(ln(x))}, {@code x +
 * mlp(ln(x))}) such as {@link ClsVit}'s. Each block may only read its own nodes and its stream
 * input, so it can run alone on any sequence, shorter ones included, when all its ops are
 * token-wise (the attention being the only op that mixes tokens).
 */
public final class TransformerLayout {
  private final Graph graph;
  private final List<Node> prefix;
  private final List<List<Node>> blocks;
  private final List<String> streamInputs;
  private final List<Node> attentions;
  private final List<Node> tail;

  private TransformerLayout(Graph graph, List<Node> prefix, List<List<Node>> blocks, List<String> streamInputs,
      List<Node> attentions, List<Node> tail) {
    this.graph = graph;
    this.prefix = prefix;
    this.blocks = blocks;
    this.streamInputs = streamInputs;
    this.attentions = attentions;
    this.tail = tail;
  }

  /**
   * Cuts {@code graph} into prefix, blocks and tail.
   *
   * @throws IllegalArgumentException naming the node at fault when the graph has no attention
   *     node, an attention output does not feed a residual {@code Add}, a node reads across a block
   *     boundary, or a block or tail op mixes token positions (anything but attention, linear,
   *     norms, activations, add, mul, dropout and identity)
   */
  public static TransformerLayout of(Graph graph) {
    Objects.requireNonNull(graph, "graph");
    List<Node> nodes = graph.nodes();
    Map<String, Integer> pos = new HashMap<>();
    for (InputSpec in : graph.inputs()) {
      pos.put(in.name(), -1);
    }
    List<Node> attn = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      pos.put(nodes.get(i).name(), i);
      if (nodes.get(i).op() instanceof Attention) {
        attn.add(nodes.get(i));
      }
    }
    if (attn.isEmpty()) {
      throw new IllegalArgumentException("graph has no attention node; token pruning and layer skipping need a "
          + "transformer encoder");
    }
    List<String> stream = new ArrayList<>();
    for (Node a : attn) {
      stream.add(residualInput(graph, a));
    }
    int lastAdd = -1;
    int lastAttn = pos.get(attn.get(attn.size() - 1).name());
    for (int i = lastAttn + 1; i < nodes.size(); i++) {
      if (nodes.get(i).op() instanceof Add) {
        lastAdd = i;
      }
    }
    if (lastAdd < 0) {
      throw new IllegalArgumentException("no residual add after the last attention node '"
          + attn.get(attn.size() - 1).name() + "'");
    }
    List<Integer> bounds = new ArrayList<>();
    for (String s : stream) {
      bounds.add(pos.get(s));
    }
    bounds.add(lastAdd);
    for (int i = 1; i < bounds.size(); i++) {
      if (bounds.get(i) <= bounds.get(i - 1)) {
        throw new IllegalArgumentException("attention node '" + attn.get(i - 1).name()
            + "' does not form a sequential block (its stream input is not before the next block's)");
      }
    }
    List<Node> prefix = new ArrayList<>(nodes.subList(0, bounds.get(0) + 1));
    List<List<Node>> blocks = new ArrayList<>();
    for (int i = 0; i < attn.size(); i++) {
      blocks.add(List.copyOf(nodes.subList(bounds.get(i) + 1, bounds.get(i + 1) + 1)));
    }
    List<Node> tail = new ArrayList<>(nodes.subList(lastAdd + 1, nodes.size()));
    String out = graph.outputs().get(0);
    if (graph.outputs().size() != 1 || pos.get(out) < lastAdd) {
      throw new IllegalArgumentException("the encoder's single output must be the last block or follow it, got "
          + graph.outputs());
    }
    Set<String> prefixNames = names(prefix);
    for (Node n : prefix) {
      checkReads(n, prefixNames, Set.of(), graph, "prefix");
    }
    for (int i = 0; i < blocks.size(); i++) {
      Set<String> own = names(blocks.get(i));
      for (Node n : blocks.get(i)) {
        checkReads(n, own, Set.of(stream.get(i)), graph, "block " + i);
        checkTokenWise(n, "block " + i);
      }
    }
    Set<String> tailNames = names(tail);
    for (Node n : tail) {
      checkReads(n, tailNames, Set.of(nodes.get(lastAdd).name()), graph, "tail");
      checkTokenWise(n, "tail");
    }
    return new TransformerLayout(graph, List.copyOf(prefix), List.copyOf(blocks), List.copyOf(stream),
        List.copyOf(attn), List.copyOf(tail));
  }

  private static String residualInput(Graph graph, Node attention) {
    for (Node c : graph.consumers(attention.name())) {
      if (c.op() instanceof Add && c.inputs().size() == 2) {
        return c.inputs().get(0).equals(attention.name()) ? c.inputs().get(1) : c.inputs().get(0);
      }
    }
    throw new IllegalArgumentException("attention node '" + attention.name()
        + "' does not feed a residual add (x + attention); not a transformer block");
  }

  private static void checkReads(Node n, Set<String> own, Set<String> allowed, Graph g, String where) {
    for (String in : n.inputs()) {
      boolean graphInput = g.inputs().stream().anyMatch(s -> s.name().equals(in));
      boolean ok = own.contains(in) || allowed.contains(in) || (where.equals("prefix") && graphInput);
      if (!ok) {
        throw new IllegalArgumentException("node '" + n.name() + "' in the " + where + " reads '" + in
            + "' from outside it; blocks must only read their own nodes and their residual stream input");
      }
    }
  }

  private static void checkTokenWise(Node n, String where) {
    Op op = n.op();
    boolean ok = op instanceof Attention || op instanceof Linear || op instanceof LayerNorm || op instanceof RmsNorm
        || op instanceof Activation || op instanceof Add || op instanceof Mul || op instanceof Dropout
        || op instanceof Identity;
    if (!ok) {
      throw new IllegalArgumentException("node '" + n.name() + "' (" + op.type() + ") in the " + where
          + " mixes or depends on token positions; token pruning and layer skipping need token-wise blocks and tail"
          + " (read the sequence out with a TransformerModel readout, e.g. ClsVit)");
    }
    if (op instanceof Attention a && (a.ropeTheta() > 0f || a.causal())) {
      throw new IllegalArgumentException("attention node '" + n.name() + "' is "
          + (a.causal() ? "causal" : "rotary") + "; token pruning supports bidirectional attention without RoPE");
    }
  }

  private static Set<String> names(List<Node> nodes) {
    Set<String> s = new HashSet<>();
    for (Node n : nodes) {
      s.add(n.name());
    }
    return s;
  }

  /** The graph. */
  public Graph graph() {
    return graph;
  }

  /** Nodes before the first block (the embedding), in order. */
  public List<Node> prefix() {
    return prefix;
  }

  /** Number of transformer blocks. */
  public int depth() {
    return blocks.size();
  }

  /** The nodes of block {@code i} (0-based), in order; the last one is the block's output. */
  public List<Node> block(int i) {
    checkBlock(i);
    return blocks.get(i);
  }

  /** The residual stream value block {@code i} reads (a prefix node or the previous block's output). */
  public String streamInput(int i) {
    checkBlock(i);
    return streamInputs.get(i);
  }

  /** The attention node of block {@code i}. */
  public Node attention(int i) {
    checkBlock(i);
    return attentions.get(i);
  }

  /** The attention nodes, one per block, in order. */
  public List<Node> attentions() {
    return Collections.unmodifiableList(attentions);
  }

  /** Nodes after the last block, in order (token-wise, e.g. the final norm). */
  public List<Node> tail() {
    return tail;
  }

  /**
   * The block holding {@code nodeName}, which must be an attention node.
   *
   * @throws IllegalArgumentException naming the node when it does not exist or is not an attention
   *     node, and listing the attention nodes
   */
  public int blockOfAttention(String nodeName) {
    Objects.requireNonNull(nodeName, "nodeName");
    if (!graph.hasNode(nodeName)) {
      throw new IllegalArgumentException("no node '" + nodeName + "' in the encoder; attention nodes: " + names());
    }
    for (int i = 0; i < attentions.size(); i++) {
      if (attentions.get(i).name().equals(nodeName)) {
        return i;
      }
    }
    throw new IllegalArgumentException("node '" + nodeName + "' is " + graph.node(nodeName).op().type()
        + ", not attention; token pruning attaches to an attention node: " + names());
  }

  /**
   * Checks a block index.
   *
   * @throws IllegalArgumentException naming the index and the valid range
   */
  public void checkBlock(int i) {
    if (i < 0 || i >= blocks.size()) {
      throw new IllegalArgumentException("block index " + i + " is out of range [0, " + (blocks.size() - 1) + "] ("
          + blocks.size() + " blocks)");
    }
  }

  private List<String> names() {
    List<String> n = new ArrayList<>();
    for (Node a : attentions) {
      n.add(a.name());
    }
    return n;
  }
}
