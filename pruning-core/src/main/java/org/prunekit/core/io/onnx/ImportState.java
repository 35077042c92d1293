package org.prunekit.core.io.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.NodeProto;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.tensor.Tensor;

/** What the importer knows while it walks the ONNX nodes: constants, tensors, nodes built so far. */
final class ImportState {
  /** A graph node under construction; its op and parameters may still change (bias folding). */
  static final class Pending {
    final String name;
    Op op;
    final List<String> inputs;
    final Map<String, Tensor> params;
    final String onnxOutput;

    Pending(String name, Op op, List<String> inputs, Map<String, Tensor> params, String onnxOutput) {
      this.name = name;
      this.op = op;
      this.inputs = inputs;
      this.params = new LinkedHashMap<>(params);
      this.onnxOutput = onnxOutput;
    }
  }

  final int opset;
  /** The batch size fixed by the model's input, or -1 when symbolic. */
  int fixedBatch = -1;
  final Map<String, OnnxConst> consts = new HashMap<>();
  /** ONNX tensor name to graph value name (a graph input or a node). */
  final Map<String, String> values = new HashMap<>();
  /** Graph value name to its shape for batch 1. */
  final Map<String, Shape> shapes = new HashMap<>();
  final Map<String, Pending> nodes = new LinkedHashMap<>();
  final List<InputSpec> inputs = new ArrayList<>();
  /** How often each ONNX tensor is read (node inputs and graph outputs). */
  final Map<String, Integer> uses = new HashMap<>();
  private final Set<String> names = new HashSet<>();

  ImportState(int opset) {
    this.opset = opset;
  }

  /** A human-readable reference to an ONNX node, for error messages. */
  static String describe(NodeProto n) {
    return "ONNX node '" + n.getName() + "' (op_type " + n.getOpType() + ")";
  }

  /** A unique graph name derived from {@code raw}. */
  String uniqueName(String raw) {
    String base = raw.replaceAll("[/\\s:]+", "_").replaceAll("^_+", "");
    if (base.isEmpty()) {
      base = "node";
    }
    String n = base;
    for (int i = 2; !names.add(n); i++) {
      n = base + "_" + i;
    }
    return n;
  }

  void addInput(String onnxName, Shape sample) {
    String name = uniqueName(onnxName);
    inputs.add(new InputSpec(name, sample));
    values.put(onnxName, name);
    shapes.put(name, sample.withBatch(1));
  }

  boolean isConst(String tensor) {
    return consts.containsKey(tensor);
  }

  /** The graph value for an ONNX tensor that must be computed (not a constant). */
  String value(NodeProto n, String tensor) {
    String v = values.get(tensor);
    if (v == null) {
      if (consts.containsKey(tensor)) {
        throw new OnnxModelException(describe(n) + ": input '" + tensor
            + "' is a constant where a computed tensor is expected; this form is not supported");
      }
      throw new OnnxModelException(describe(n) + " reads tensor '" + tensor
          + "', which is not a graph input, initializer or earlier node output");
    }
    return v;
  }

  /** The constant for an ONNX tensor that must be an initializer or Constant output. */
  OnnxConst constant(NodeProto n, String tensor, String role) {
    OnnxConst c = consts.get(tensor);
    if (c == null) {
      throw new OnnxModelException(describe(n) + ": " + role + " '" + tensor
          + "' must be a constant (initializer or Constant node); computed " + role + "s are not supported");
    }
    return c;
  }

  Shape shapeOf(String value) {
    return shapes.get(value);
  }

  /**
   * Adds a node reading the given graph values, infers its shape (errors name the node) and maps
   * the ONNX output tensor to it.
   */
  Pending add(NodeProto n, Op op, List<String> in, Map<String, Tensor> params) {
    String name = uniqueName(n.getName().isEmpty() ? n.getOpType() + "_" + n.getOutput(0) : n.getName());
    Pending p = new Pending(name, op, in, params, n.getOutput(0));
    List<Shape> inShapes = new ArrayList<>();
    for (String i : in) {
      inShapes.add(shapes.get(i));
    }
    Shape out;
    try {
      new Node(name, op, in, params);
      out = op.inferShape(name, inShapes);
    } catch (IllegalArgumentException e) {
      throw new OnnxModelException(describe(n) + ": " + e.getMessage(), e);
    }
    nodes.put(name, p);
    shapes.put(name, out);
    values.put(n.getOutput(0), name);
    return p;
  }

  /** Makes ONNX tensor {@code alias} another name of {@code target}'s value or constant. */
  void alias(String alias, String target) {
    if (consts.containsKey(target)) {
      consts.put(alias, consts.get(target));
    } else {
      values.put(alias, values.get(target));
    }
  }

  int uses(String tensor) {
    return uses.getOrDefault(tensor, 0);
  }

  List<Node> buildNodes() {
    List<Node> out = new ArrayList<>();
    for (Pending p : nodes.values()) {
      out.add(new Node(p.name, p.op, p.inputs, p.params));
    }
    return out;
  }
}
