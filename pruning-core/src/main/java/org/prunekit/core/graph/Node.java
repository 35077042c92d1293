package org.prunekit.core.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.tensor.Tensor;

/**
 * One node of a {@link Graph}: a name, an {@link Op}, the names of its inputs (graph inputs or
 * earlier nodes) and the parameters its op declares.
 */
public final class Node {
  private final String name;
  private final Op op;
  private final List<String> inputs;
  private final Map<String, Parameter> params;

  /**
   * Creates a node. {@code values} must hold a tensor for every parameter the op declares, and
   * nothing else.
   *
   * @throws IllegalArgumentException naming the node and parameter at fault
   */
  public Node(String name, Op op, List<String> inputs, Map<String, Tensor> values) {
    this.name = Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.contains("/") || name.contains(" ")) {
      throw new IllegalArgumentException("node name '" + name + "' must be non-empty without '/' or spaces");
    }
    this.op = Objects.requireNonNull(op, "op");
    this.inputs = List.copyOf(inputs);
    if (op.arity() > 0 && inputs.size() != op.arity()) {
      throw new IllegalArgumentException(
          "node '" + name + "': " + op.type() + " takes " + op.arity() + " input(s), got " + inputs);
    }
    if (op.arity() < 0 && inputs.size() < 2) {
      throw new IllegalArgumentException("node '" + name + "': " + op.type() + " takes two or more inputs, got " + inputs);
    }
    Map<String, Parameter> p = new LinkedHashMap<>();
    for (ParamSpec spec : op.parameterSpecs()) {
      Tensor v = values.get(spec.name());
      if (v == null) {
        throw new IllegalArgumentException("node '" + name + "': missing parameter '" + spec.name() + "'");
      }
      p.put(spec.name(), new Parameter(name, spec, v));
    }
    for (String k : values.keySet()) {
      if (!p.containsKey(k)) {
        throw new IllegalArgumentException("node '" + name + "': " + op.type() + " has no parameter '" + k + "'");
      }
    }
    this.params = Collections.unmodifiableMap(p);
  }

  private Node(String name, Op op, List<String> inputs, List<Parameter> copied) {
    this.name = name;
    this.op = op;
    this.inputs = inputs;
    Map<String, Parameter> p = new LinkedHashMap<>();
    for (Parameter c : copied) {
      p.put(c.name(), c);
    }
    this.params = Collections.unmodifiableMap(p);
  }

  /** The node's unique name. */
  public String name() {
    return name;
  }

  /** The op. */
  public Op op() {
    return op;
  }

  /** Names of the inputs, in order. */
  public List<String> inputs() {
    return inputs;
  }

  /** Parameters by local name, in the op's declared order. */
  public Map<String, Parameter> params() {
    return params;
  }

  /** The parameter with local name {@code local}, or {@code null}. */
  public Parameter param(String local) {
    return params.get(local);
  }

  /** A deep copy (parameter values and masks copied). */
  public Node copy() {
    List<Parameter> c = new ArrayList<>();
    for (Parameter p : params.values()) {
      c.add(p.copy());
    }
    return new Node(name, op, inputs, c);
  }

  @Override
  public String toString() {
    return name + " = " + op + inputs;
  }
}
