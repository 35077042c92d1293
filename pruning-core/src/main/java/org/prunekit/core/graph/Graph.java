package org.prunekit.core.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model as a directed acyclic graph of typed nodes whose structure stays visible to pruning
 * code.
 *
 * <p>The structure (nodes, ops, edges) is immutable: structural pruning produces a new graph.
 * Parameter <em>values</em> and masks are mutable and live on the Java heap, so a graph holds no
 * native memory and needs no closing; execution engines copy what they need.
 *
 * <p>Nodes are kept in topological order: every input of a node is a graph input or an earlier
 * node. The constructor validates names, edges, arity and runs shape inference for batch 1, so a
 * {@code Graph} that exists is a graph that type-checks.
 */
public final class Graph {
  private final List<InputSpec> inputs;
  private final List<Node> nodes;
  private final List<String> outputs;
  private final Map<String, Node> byName;

  /**
   * Creates and validates a graph.
   *
   * @param inputs the graph inputs
   * @param nodes the nodes in topological order
   * @param outputs names of the nodes whose values are the graph outputs
   * @throws IllegalArgumentException naming the node at fault (unknown input, duplicate name,
   *     cycle or forward reference, shape mismatch)
   */
  public Graph(List<InputSpec> inputs, List<Node> nodes, List<String> outputs) {
    this.inputs = List.copyOf(inputs);
    this.nodes = List.copyOf(nodes);
    this.outputs = List.copyOf(outputs);
    if (this.inputs.isEmpty()) {
      throw new IllegalArgumentException("a graph needs at least one input");
    }
    if (this.outputs.isEmpty()) {
      throw new IllegalArgumentException("a graph needs at least one output");
    }
    Map<String, Node> m = new LinkedHashMap<>();
    Set<String> defined = new HashSet<>();
    for (InputSpec in : this.inputs) {
      if (!defined.add(in.name())) {
        throw new IllegalArgumentException("duplicate graph input '" + in.name() + "'");
      }
    }
    for (Node n : this.nodes) {
      for (String i : n.inputs()) {
        if (!defined.contains(i)) {
          throw new IllegalArgumentException(
              "node '" + n.name() + "' reads '" + i + "', which is not a graph input or an earlier node");
        }
      }
      if (!defined.add(n.name())) {
        throw new IllegalArgumentException("duplicate node name '" + n.name() + "'");
      }
      m.put(n.name(), n);
    }
    for (String o : this.outputs) {
      if (!m.containsKey(o) && this.inputs.stream().noneMatch(i -> i.name().equals(o))) {
        throw new IllegalArgumentException("graph output '" + o + "' is not a node");
      }
    }
    this.byName = Collections.unmodifiableMap(m);
    inferShapes(1);
  }

  /** The graph inputs. */
  public List<InputSpec> inputs() {
    return inputs;
  }

  /** The nodes in topological order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** Names of the output nodes. */
  public List<String> outputs() {
    return outputs;
  }

  /**
   * The node called {@code name}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Node node(String name) {
    Node n = byName.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no node '" + name + "' in graph; nodes: " + byName.keySet());
    }
    return n;
  }

  /** True if a node of that name exists. */
  public boolean hasNode(String name) {
    return byName.containsKey(name);
  }

  /** Every parameter of every node, in node order. */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    for (Node n : nodes) {
      all.addAll(n.params().values());
    }
    return all;
  }

  /**
   * The parameter with qualified name {@code node.param}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Parameter parameter(String qualifiedName) {
    int dot = qualifiedName.lastIndexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("parameter name '" + qualifiedName + "' must be node.param");
    }
    Parameter p = node(qualifiedName.substring(0, dot)).param(qualifiedName.substring(dot + 1));
    if (p == null) {
      throw new IllegalArgumentException("no parameter '" + qualifiedName + "'");
    }
    return p;
  }

  /** The nodes that read {@code name}'s output, in topological order. */
  public List<Node> consumers(String name) {
    List<Node> c = new ArrayList<>();
    for (Node n : nodes) {
      if (n.inputs().contains(name)) {
        c.add(n);
      }
    }
    return c;
  }

  /**
   * Shapes (batch first) of every input and node output for a given batch size.
   *
   * @throws ShapeException naming the first node whose shapes do not fit
   */
  public Map<String, Shape> inferShapes(int batch) {
    Map<String, Shape> in = new HashMap<>();
    for (InputSpec s : inputs) {
      in.put(s.name(), s.sampleShape().withBatch(batch));
    }
    return inferShapes(in);
  }

  /**
   * Shapes of every input and node output for the given full input shapes.
   *
   * @throws ShapeException naming the first node whose shapes do not fit
   */
  public Map<String, Shape> inferShapes(Map<String, Shape> inputShapes) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (InputSpec s : inputs) {
      Shape given = inputShapes.get(s.name());
      if (given == null) {
        throw new IllegalArgumentException("no shape given for graph input '" + s.name() + "'");
      }
      shapes.put(s.name(), given);
    }
    for (Node n : nodes) {
      List<Shape> ins = new ArrayList<>();
      for (String i : n.inputs()) {
        ins.add(shapes.get(i));
      }
      shapes.put(n.name(), n.op().inferShape(n.name(), ins));
    }
    return shapes;
  }

  /** A deep copy: same structure, parameter values and masks copied. */
  public Graph copy() {
    List<Node> c = new ArrayList<>();
    for (Node n : nodes) {
      c.add(n.copy());
    }
    return new Graph(inputs, c, outputs);
  }

  /** A readable multi-line listing of nodes, shapes and parameter counts for batch 1. */
  public String summary() {
    Map<String, Shape> shapes = inferShapes(1);
    StringBuilder sb = new StringBuilder();
    for (InputSpec i : inputs) {
      sb.append(String.format("%-24s %-12s %s%n", i.name(), "input", shapes.get(i.name())));
    }
    for (Node n : nodes) {
      long params = 0;
      for (Parameter p : n.params().values()) {
        params += p.numel();
      }
      sb.append(String.format("%-24s %-12s %-20s params=%d%n", n.name(), n.op().type(), shapes.get(n.name()), params));
    }
    return sb.toString();
  }
}
