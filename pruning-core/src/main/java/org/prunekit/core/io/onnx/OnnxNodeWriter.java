package org.prunekit.core.io.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Mul;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;
import org.prunekit.core.tensor.Tensor;

/** Writes the ONNX nodes and initializers for one graph node at a time. */
final class OnnxNodeWriter {
  private final GraphProto.Builder g;
  private final Map<String, Shape> shapes;

  OnnxNodeWriter(GraphProto.Builder g, Map<String, Shape> shapes) {
    this.g = g;
    this.shapes = shapes;
  }

  /** Appends the ONNX nodes computing {@code n} to {@code out}; initializers go to the graph. */
  void write(Node n, List<NodeProto> out) {
    Op op = n.op();
    String x = n.inputs().get(0);
    String y = n.name();
    if (op instanceof Linear l) {
      linear(n, l, x, y, out);
    } else if (op instanceof Conv c) {
      Shape in = shapes.get(x);
      Padding p = c.padding().resolve(spatial(in), c.kernel(), c.stride(), c.dilation());
      List<String> ins = new ArrayList<>(List.of(x, param(n, "weight")));
      if (c.bias()) {
        ins.add(param(n, "bias"));
      }
      out.add(node("Conv", y, ins, ints("kernel_shape", c.kernel()), ints("strides", c.stride()),
          ints("dilations", c.dilation()), ints("pads", pads(p)), intAttr("group", c.groups())));
    } else if (op instanceof BatchNorm b) {
      out.add(node("BatchNormalization", y,
          List.of(x, param(n, "gamma"), param(n, "beta"), param(n, "running_mean"), param(n, "running_var")),
          floatAttr("epsilon", b.epsilon()), floatAttr("momentum", OnnxNodeConverter.complement(b.momentum()))));
    } else if (op instanceof Pool p) {
      int[] ones = new int[p.spatialDims()];
      Arrays.fill(ones, 1);
      Padding pad = p.padding().resolve(spatial(shapes.get(x)), p.kernel(), p.stride(), ones);
      if (p.kind() == Pool.Kind.MAX) {
        out.add(node("MaxPool", y, List.of(x), ints("kernel_shape", p.kernel()), ints("strides", p.stride()),
            ints("pads", pads(pad))));
      } else {
        out.add(node("AveragePool", y, List.of(x), ints("kernel_shape", p.kernel()), ints("strides", p.stride()),
            ints("pads", pads(pad)), intAttr("count_include_pad", p.countIncludePad() ? 1 : 0)));
      }
    } else if (op instanceof GlobalPool gp) {
      String type = gp.kind() == Pool.Kind.MAX ? "GlobalMaxPool" : "GlobalAveragePool";
      if (gp.keepDims()) {
        out.add(node(type, y, List.of(x)));
      } else {
        out.add(node(type, y + "_pooled", List.of(x)));
        out.add(node("Flatten", y, List.of(y + "_pooled"), intAttr("axis", 1)));
      }
    } else if (op instanceof Flatten f) {
      if (f.startDim() == 1) {
        out.add(node("Flatten", y, List.of(x), intAttr("axis", 1)));
      } else {
        long[] shape = new long[f.startDim() + 1];
        shape[f.startDim()] = -1;
        out.add(reshapeNode(y, x, shape));
      }
    } else if (op instanceof Reshape r) {
      int[] t = r.target();
      long[] shape = new long[t.length + 1];
      for (int i = 0; i < t.length; i++) {
        shape[i + 1] = t[i];
      }
      out.add(reshapeNode(y, x, shape));
    } else if (op instanceof Add) {
      out.add(node(n.inputs().size() == 2 ? "Add" : "Sum", y, n.inputs()));
    } else if (op instanceof Mul) {
      if (n.inputs().size() != 2) {
        throw unsupported(n, "Mul of " + n.inputs().size() + " inputs");
      }
      out.add(node("Mul", y, n.inputs()));
    } else if (op instanceof Concat c) {
      out.add(node("Concat", y, n.inputs(), intAttr("axis", c.axis())));
    } else if (op instanceof Activation a) {
      activation(n, a, x, y, out);
    } else if (op instanceof Identity || op instanceof Dropout) {
      out.add(node("Identity", y, List.of(x)));
    } else if (op instanceof Lif || op instanceof TimeEncode || op instanceof TimeMean) {
      throw unsupported(n, "spiking op '" + op.type() + "' (stateful over time steps folded into the batch;"
          + " ONNX opset 13 has no spiking neuron operator)");
    } else {
      throw unsupported(n, op.type());
    }
  }

  private void linear(Node n, Linear l, String x, String y, List<NodeProto> out) {
    if (shapes.get(x).rank() == 2) {
      List<String> ins = new ArrayList<>(List.of(x, param(n, "weight")));
      if (l.bias()) {
        ins.add(param(n, "bias"));
      }
      out.add(node("Gemm", y, ins, intAttr("transB", 1)));
      return;
    }
    Tensor w = value(n.param("weight"));
    String wt = n.name() + ".weight_t";
    g.addInitializer(OnnxConst.floatProto(wt, new int[] {l.inFeatures(), l.outFeatures()},
        OnnxNodeConverter.transpose(w.data(), l.outFeatures(), l.inFeatures()).data()));
    if (!l.bias()) {
      out.add(node("MatMul", y, List.of(x, wt)));
      return;
    }
    out.add(node("MatMul", y + "_matmul", List.of(x, wt)));
    out.add(node("Add", y, List.of(y + "_matmul", param(n, "bias"))));
  }

  private void activation(Node n, Activation a, String x, String y, List<NodeProto> out) {
    switch (a.kind()) {
      case RELU -> out.add(node("Relu", y, List.of(x)));
      case SIGMOID -> out.add(node("Sigmoid", y, List.of(x)));
      case TANH -> out.add(node("Tanh", y, List.of(x)));
      case SILU -> {
        out.add(node("Sigmoid", y + "_sigmoid", List.of(x)));
        out.add(node("Mul", y, List.of(x, y + "_sigmoid")));
      }
      case SOFTMAX -> out.add(node("Softmax", y, List.of(x), intAttr("axis", a.axis())));
      case LOG_SOFTMAX -> out.add(node("LogSoftmax", y, List.of(x), intAttr("axis", a.axis())));
      default -> throw unsupported(n, "activation " + a.kind() + " (no opset-13 operator)");
    }
  }

  private NodeProto reshapeNode(String y, String x, long[] shape) {
    String name = y + "_shape";
    g.addInitializer(OnnxConst.int64Proto(name, shape));
    return node("Reshape", y, List.of(x, name));
  }

  /** Adds the parameter as an initializer (mask applied) and returns its name. */
  private String param(Node n, String local) {
    Parameter p = n.param(local);
    g.addInitializer(OnnxConst.floatProto(p.qualifiedName(), p.shape().dims(), value(p).data()));
    return p.qualifiedName();
  }

  /** The parameter's value with its mask applied (a copy when masked). */
  private static Tensor value(Parameter p) {
    if (!p.hasMask()) {
      return p.value();
    }
    float[] v = p.value().data().clone();
    float[] m = p.mask().data();
    for (int i = 0; i < v.length; i++) {
      if (m[i] == 0f) {
        v[i] = 0f;
      }
    }
    return new Tensor(p.shape(), v);
  }

  private static OnnxModelException unsupported(Node n, String what) {
    return new OnnxModelException("graph node '" + n.name() + "' (" + n.op() + "): " + what
        + " cannot be exported to ONNX; supported: linear, conv, batchnorm, pool, globalpool, flatten, reshape, add, "
        + "mul, concat, activation (relu, sigmoid, tanh, silu, softmax, log_softmax), identity, dropout");
  }

  private static int[] spatial(Shape in) {
    return Arrays.copyOfRange(in.dims(), 2, in.rank());
  }

  private static int[] pads(Padding p) {
    int[] b = p.begin();
    int[] e = p.end();
    int[] out = new int[b.length * 2];
    System.arraycopy(b, 0, out, 0, b.length);
    System.arraycopy(e, 0, out, b.length, e.length);
    return out;
  }

  private static NodeProto node(String type, String output, List<String> inputs, AttributeProto... attrs) {
    NodeProto.Builder b = NodeProto.newBuilder().setOpType(type).setName(output).addAllInput(inputs).addOutput(output);
    for (AttributeProto a : attrs) {
      b.addAttribute(a);
    }
    return b.build();
  }

  private static AttributeProto ints(String name, int[] v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (int i : v) {
      a.addInts(i);
    }
    return a.build();
  }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  private static AttributeProto floatAttr(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }
}
