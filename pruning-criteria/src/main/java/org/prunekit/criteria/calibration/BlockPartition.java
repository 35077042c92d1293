package org.prunekit.criteria.calibration;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;

/**
 * A graph cut into a chain of {@link Block}s, as the sequential calibration procedure needs
 * (Wanda/SparseGPT prune "decoder layer by decoder layer"): nodes before the first block (the
 * prefix, e.g. the embedding), the blocks, where block {@code i+1} reads exactly block {@code i}'s
 * output, and nodes after the last block (the suffix, e.g. final norm and classifier).
 *
 * <pre>{@code
 * BlockPartition p = BlockPartition.numbered(graph, "layers.");  // layers.0.*, layers.1.*, ...
 * }</pre>
 */
public final class BlockPartition {
  private final List<String> prefix;
  private final List<Block> blocks;
  private final List<String> suffix;

  private BlockPartition(List<String> prefix, List<Block> blocks, List<String> suffix) {
    this.prefix = List.copyOf(prefix);
    this.blocks = List.copyOf(blocks);
    this.suffix = List.copyOf(suffix);
  }

  /**
   * Blocks formed by node-name prefix {@code stem + i + "."} for {@code i = 0, 1, ...} (in order of
   * {@code i}), e.g. {@code "layers."} for graphs from {@link org.prunekit.core.io.Llama2cReader}.
   * A node without such a prefix that lies between two nodes of block {@code i} in graph order
   * (e.g. an auto-named activation) joins block {@code i}.
   *
   * @throws IllegalArgumentException if no node matches, or the groups do not form a chain (see
   *     {@link #of})
   */
  public static BlockPartition numbered(Graph graph, String stem) {
    Objects.requireNonNull(stem, "stem");
    Pattern p = Pattern.compile(Pattern.quote(stem) + "(\\d+)\\..*");
    Map<Integer, List<String>> groups = new TreeMap<>();
    for (Node n : graph.nodes()) {
      Matcher m = p.matcher(n.name());
      if (m.matches()) {
        groups.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(n.name());
      }
    }
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("no node name starts with '" + stem + "<number>.'; cannot form blocks");
    }
    // Unprefixed nodes strictly between a group's first and last node (e.g. auto-named
    // activations) belong to that group.
    List<Node> order = graph.nodes();
    Map<String, Integer> pos = new java.util.HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      pos.put(order.get(i).name(), i);
    }
    List<List<String>> lists = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> e : groups.entrySet()) {
      List<String> g = e.getValue();
      int lo = pos.get(g.get(0));
      int hi = pos.get(g.get(g.size() - 1));
      List<String> all = new ArrayList<>();
      for (int i = lo; i <= hi; i++) {
        String n = order.get(i).name();
        if (g.contains(n) || !p.matcher(n).matches()) {
          all.add(n);
        }
      }
      lists.add(all);
      names.add(stem + e.getKey() + ".");
    }
    return of(graph, names, lists);
  }

  /**
   * One block per node that has a {@link org.prunekit.core.graph.ParamRole#WEIGHT WEIGHT}
   * parameter (a conv or linear layer of a plain feed-forward network), named after it: the block
   * runs from that node up to the next one with a weight, so it holds the layer and the weightless
   * nodes after it (activation, pooling, reshape); the last block runs to the end of the graph.
   * Nodes before the first weighted node form the prefix; the suffix is empty. This is the layer
   * by layer procedure of SparseGPT/Wanda for a chain CNN such as LeNet.
   *
   * @throws IllegalArgumentException if no node has a weight, or the blocks do not form a chain
   *     (e.g. a residual connection crosses a layer boundary; see {@link #of})
   */
  public static BlockPartition perWeightedLayer(Graph graph) {
    Objects.requireNonNull(graph, "graph");
    List<String> names = new ArrayList<>();
    List<List<String>> lists = new ArrayList<>();
    for (Node n : graph.nodes()) {
      boolean weighted = n.params().values().stream()
          .anyMatch(p -> p.role() == org.prunekit.core.graph.ParamRole.WEIGHT);
      if (weighted) {
        names.add(n.name());
        lists.add(new ArrayList<>());
      }
      if (!lists.isEmpty()) {
        lists.get(lists.size() - 1).add(n.name());
      }
    }
    if (lists.isEmpty()) {
      throw new IllegalArgumentException("no node of the graph has a weight; cannot form per-layer blocks");
    }
    return of(graph, names, lists);
  }

  /**
   * Blocks from explicit node lists.
   *
   * @param names a name per block
   * @param nodeLists the node names of each block
   * @throws IllegalArgumentException naming the block at fault if a node is unknown or in two
   *     blocks, a block's nodes are not consecutive in graph order, it reads more than one value
   *     from outside, more than one of its values is read outside, block {@code i+1} does not read
   *     block {@code i}'s output, or a node outside the blocks lies between two blocks
   */
  public static BlockPartition of(Graph graph, List<String> names, List<List<String>> nodeLists) {
    Objects.requireNonNull(graph, "graph");
    if (names.size() != nodeLists.size() || nodeLists.isEmpty()) {
      throw new IllegalArgumentException("need one name per block and at least one block, got " + names.size()
          + " names and " + nodeLists.size() + " blocks");
    }
    List<Node> order = graph.nodes();
    Map<String, Integer> position = new java.util.HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i).name(), i);
    }
    Set<String> graphInputs = new HashSet<>();
    for (InputSpec s : graph.inputs()) {
      graphInputs.add(s.name());
    }
    Set<String> claimed = new HashSet<>();
    List<Block> blocks = new ArrayList<>();
    int[] first = new int[nodeLists.size()];
    int[] last = new int[nodeLists.size()];
    for (int b = 0; b < nodeLists.size(); b++) {
      String bn = names.get(b);
      List<String> nodes = new ArrayList<>(nodeLists.get(b));
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("block '" + bn + "' has no nodes");
      }
      for (String n : nodes) {
        if (!position.containsKey(n)) {
          throw new IllegalArgumentException("block '" + bn + "': node '" + n + "' is not in the graph");
        }
        if (!claimed.add(n)) {
          throw new IllegalArgumentException("block '" + bn + "': node '" + n + "' is already in another block");
        }
      }
      nodes.sort((x, y) -> Integer.compare(position.get(x), position.get(y)));
      first[b] = position.get(nodes.get(0));
      last[b] = position.get(nodes.get(nodes.size() - 1));
      if (last[b] - first[b] + 1 != nodes.size()) {
        throw new IllegalArgumentException("block '" + bn + "': its nodes are not consecutive in graph order (from '"
            + nodes.get(0) + "' to '" + nodes.get(nodes.size() - 1) + "' there are other nodes)");
      }
      Set<String> inside = new HashSet<>(nodes);
      Set<String> external = new LinkedHashSet<>();
      for (String n : nodes) {
        for (String in : graph.node(n).inputs()) {
          if (!inside.contains(in)) {
            external.add(in);
          }
        }
      }
      if (external.size() != 1) {
        throw new IllegalArgumentException("block '" + bn + "' must read exactly one value from outside, it reads "
            + external);
      }
      Set<String> exported = new LinkedHashSet<>();
      for (String n : nodes) {
        if (graph.outputs().contains(n)) {
          exported.add(n);
        }
        for (Node c : graph.consumers(n)) {
          if (!inside.contains(c.name())) {
            exported.add(n);
          }
        }
      }
      if (exported.size() != 1) {
        throw new IllegalArgumentException("block '" + bn + "' must hand exactly one value on, it hands on "
            + exported);
      }
      blocks.add(new Block(bn, nodes, external.iterator().next(), exported.iterator().next()));
    }
    for (int b = 1; b < blocks.size(); b++) {
      if (first[b] != last[b - 1] + 1) {
        throw new IllegalArgumentException("node '" + order.get(last[b - 1] + 1).name() + "' lies between block '"
            + names.get(b - 1) + "' and block '" + names.get(b) + "'; blocks must follow each other directly");
      }
      if (!blocks.get(b).input().equals(blocks.get(b - 1).output())) {
        throw new IllegalArgumentException("block '" + names.get(b) + "' reads '" + blocks.get(b).input()
            + "', not the output '" + blocks.get(b - 1).output() + "' of block '" + names.get(b - 1) + "'");
      }
    }
    String in0 = blocks.get(0).input();
    if (!graphInputs.contains(in0) && position.get(in0) >= first[0]) {
      throw new IllegalArgumentException("block '" + names.get(0) + "' reads '" + in0 + "', which is not before it");
    }
    List<String> prefix = new ArrayList<>();
    for (int i = 0; i < first[0]; i++) {
      prefix.add(order.get(i).name());
    }
    List<String> suffix = new ArrayList<>();
    for (int i = last[blocks.size() - 1] + 1; i < order.size(); i++) {
      suffix.add(order.get(i).name());
    }
    return new BlockPartition(prefix, blocks, suffix);
  }

  /** Nodes before the first block, in graph order. */
  public List<String> prefix() {
    return prefix;
  }

  /** The blocks, in order. */
  public List<Block> blocks() {
    return blocks;
  }

  /** Nodes after the last block, in graph order. */
  public List<String> suffix() {
    return suffix;
  }

  /** The block holding node {@code name}, or {@code null}. */
  public Block blockOf(String name) {
    for (Block b : blocks) {
      if (b.nodes().contains(name)) {
        return b;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "BlockPartition[prefix " + prefix + ", " + blocks.size() + " blocks, suffix " + suffix + "]";
  }
}
