package org.prunekit.core.io.onnx;

import java.util.List;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/** A tiny builder of ONNX protobuf models for tests. */
final class OnnxModels {
  private final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
  private int opset = 13;

  static OnnxModels create() {
    return new OnnxModels();
  }

  OnnxModels opset(int v) {
    opset = v;
    return this;
  }

  /** An input with a symbolic batch ({@code dims[0] < 0}) or fixed dims. */
  OnnxModels input(String name, long... dims) {
    g.addInput(valueInfo(name, dims));
    return this;
  }

  OnnxModels output(String name, long... dims) {
    g.addOutput(valueInfo(name, dims));
    return this;
  }

  /** A float initializer in raw_data (little-endian). */
  OnnxModels raw(String name, float[] values, int... dims) {
    g.addInitializer(OnnxConst.floatProto(name, dims, values));
    return this;
  }

  /** A float initializer in float_data. */
  OnnxModels floats(String name, float[] values, int... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (int d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    g.addInitializer(t);
    return this;
  }

  /** An int64 1-D initializer in int64_data. */
  OnnxModels int64(String name, long... values) {
    g.addInitializer(OnnxConst.int64Proto(name, values));
    return this;
  }

  /** A Constant node holding an int64 vector in raw_data. */
  OnnxModels constInt64Raw(String output, long... values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    TensorProto t = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length)
        .setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(b.array())).build();
    AttributeProto a = AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    g.addNode(NodeProto.newBuilder().setOpType("Constant").setName(output + "_const").addOutput(output).addAttribute(a));
    return this;
  }

  OnnxModels node(String type, String name, List<String> inputs, String output, AttributeProto... attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(name).addAllInput(inputs).addOutput(output);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    g.addNode(n);
    return this;
  }

  static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  static AttributeProto i(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  static AttributeProto f(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  static AttributeProto s(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
        .setS(org.nd4j.shade.protobuf.ByteString.copyFromUtf8(v)).build();
  }

  ModelProto build() {
    return ModelProto.newBuilder().setIrVersion(opset >= 13 ? 7 : 4).setProducerName("test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
  }

  byte[] bytes() {
    return build().toByteArray();
  }

  private static ValueInfoProto valueInfo(String name, long... dims) {
    TensorShapeProto.Builder sh = TensorShapeProto.newBuilder();
    for (long d : dims) {
      sh.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N") : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    TypeProto.Tensor t = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(sh).build();
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
  }
}
