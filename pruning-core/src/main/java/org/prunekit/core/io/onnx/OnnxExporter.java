package org.prunekit.core.io.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;

/**
 * Writes a {@link Graph} as an ONNX model (opset 13, IR version 7) that ONNX Runtime can run.
 *
 * <p>Linear becomes Gemm with {@code transB=1} (MatMul + Add for inputs of rank above 2); Conv and
 * pooling get explicit {@code pads} (SAME paddings are resolved against the input size);
 * BatchNorm becomes BatchNormalization; GlobalPool becomes GlobalAveragePool / GlobalMaxPool
 * (followed by Flatten when it drops the spatial axes); Flatten, Reshape, Add (Sum for more than
 * two inputs), Mul, Concat, Relu, Sigmoid, Tanh, Softmax and LogSoftmax map directly; Identity
 * and Dropout become Identity. Any other op is rejected with an {@link OnnxModelException} naming
 * the graph node, before anything is written.
 *
 * <p>Masks are applied: a masked parameter is written as {@code value * mask}, the graph itself
 * is not modified. Each ONNX tensor carries the name of the graph node producing it; weights are
 * named {@code node.param}. The batch dimension of inputs and outputs is symbolic ({@code
 * "batch"}).
 */
public final class OnnxExporter {
  /** The ONNX opset written. */
  public static final int OPSET = 13;
  /** The ONNX IR version written. */
  public static final int IR_VERSION = 7;

  private OnnxExporter() {}

  /**
   * Writes {@code graph} to {@code file}.
   *
   * @throws OnnxModelException naming the first node whose op cannot be exported
   * @throws IOException if the file cannot be written
   */
  public static void save(Graph graph, Path file) throws IOException {
    byte[] bytes = toBytes(graph);
    Files.write(file, bytes);
  }

  /**
   * The serialised ONNX model.
   *
   * @throws OnnxModelException naming the first node whose op cannot be exported
   */
  public static byte[] toBytes(Graph graph) {
    return toModel(graph).toByteArray();
  }

  /**
   * The ONNX model as a protobuf message.
   *
   * @throws OnnxModelException naming the first node whose op cannot be exported
   */
  public static ModelProto toModel(Graph graph) {
    Map<String, Shape> shapes = graph.inferShapes(1);
    GraphProto.Builder g = GraphProto.newBuilder().setName("prunekit");
    OnnxNodeWriter w = new OnnxNodeWriter(g, shapes);
    List<NodeProto> nodes = new ArrayList<>();
    for (Node n : graph.nodes()) {
      w.write(n, nodes);
    }
    g.addAllNode(nodes);
    for (InputSpec in : graph.inputs()) {
      g.addInput(valueInfo(in.name(), shapes.get(in.name())));
    }
    for (String out : graph.outputs()) {
      g.addOutput(valueInfo(out, shapes.get(out)));
    }
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("prunekit")
        .setProducerVersion("0.1")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(g)
        .build();
  }

  private static ValueInfoProto valueInfo(String name, Shape shape) {
    TensorShapeProto.Builder sh = TensorShapeProto.newBuilder();
    sh.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (int i = 1; i < shape.rank(); i++) {
      sh.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(shape.get(i)));
    }
    TypeProto.Tensor t = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(sh).build();
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
  }
}
