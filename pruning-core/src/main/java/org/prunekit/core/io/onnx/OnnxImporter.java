package org.prunekit.core.io.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an ONNX model of a CNN or MLP classifier into a {@link Graph}.
 *
 * <p>Supported operators: Conv (pads, strides, dilations, group, auto_pad), Gemm ({@code
 * transA=0}, {@code transB} 0 or 1, alpha/beta folded into the weights), MatMul with a constant
 * right operand (a Linear without bias), Add (a per-channel constant is folded into the bias of
 * the preceding Conv/Gemm/MatMul; two computed tensors become an Add node), Relu, Sigmoid, Tanh,
 * Softmax, LogSoftmax, MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool,
 * BatchNormalization, Flatten (axis 1), Reshape (constant shape, the batch stays first), Concat,
 * Identity and Dropout (dropped), and Constant. Ops whose inputs are all constants (Reshape,
 * Transpose, Identity) are folded. Any other operator is rejected with an {@link
 * OnnxModelException} naming the ONNX node and its op_type; nothing is returned half-built.
 *
 * <p>Graph inputs are the ONNX inputs that are not initializers (older exporters list the
 * initializers as inputs too); their first dimension is the batch and may be symbolic, the others
 * must be known. Weights are converted to the graph's layouts ({@code Gemm transB=0} and MatMul
 * weights are transposed to {@code [out, in]}). Node names come from the ONNX node names (or the
 * op type and output name when empty), with {@code /} and spaces replaced by {@code _}.
 */
public final class OnnxImporter {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxImporter.class);

  private OnnxImporter() {}

  /**
   * Reads an ONNX file.
   *
   * @throws IOException if the file cannot be read or is not an ONNX model
   * @throws OnnxModelException naming the node for an unsupported or malformed model
   */
  public static Graph load(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return load(bytes);
    } catch (OnnxModelException e) {
      throw new OnnxModelException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a serialised ONNX {@code ModelProto}.
   *
   * @throws IOException if the bytes are not a valid protobuf model
   * @throws OnnxModelException naming the node for an unsupported or malformed model
   */
  public static Graph load(byte[] model) throws IOException {
    ModelProto m;
    try {
      m = ModelProto.parseFrom(model);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("not an ONNX model (protobuf parse failed): " + e.getMessage(), e);
    }
    return fromModel(m);
  }

  /**
   * Converts a parsed ONNX model.
   *
   * @throws OnnxModelException naming the node for an unsupported or malformed model
   */
  public static Graph fromModel(ModelProto m) {
    if (!m.hasGraph()) {
      throw new OnnxModelException("ONNX model has no graph");
    }
    int opset = -1;
    for (OperatorSetIdProto o : m.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        opset = (int) o.getVersion();
      }
    }
    if (opset < 0) {
      throw new OnnxModelException("ONNX model imports no default-domain opset");
    }
    GraphProto g = m.getGraph();
    ImportState s = new ImportState(opset);
    for (TensorProto t : g.getInitializerList()) {
      s.consts.put(t.getName(), OnnxConst.fromProto(t, t.getName()));
    }
    for (ValueInfoProto in : g.getInputList()) {
      if (!s.consts.containsKey(in.getName())) {
        addInput(s, in);
      }
    }
    if (s.inputs.isEmpty()) {
      throw new OnnxModelException("ONNX graph '" + g.getName() + "' has no input that is not an initializer");
    }
    for (NodeProto n : g.getNodeList()) {
      for (String i : n.getInputList()) {
        if (!i.isEmpty()) {
          s.uses.merge(i, 1, Integer::sum);
        }
      }
    }
    for (ValueInfoProto o : g.getOutputList()) {
      s.uses.merge(o.getName(), 1, Integer::sum);
    }
    OnnxNodeConverter conv = new OnnxNodeConverter(s);
    for (NodeProto n : g.getNodeList()) {
      conv.convert(n);
    }
    List<String> outputs = new ArrayList<>();
    for (ValueInfoProto o : g.getOutputList()) {
      String v = s.values.get(o.getName());
      if (v == null) {
        throw new OnnxModelException("ONNX graph output '" + o.getName() + "' is "
            + (s.consts.containsKey(o.getName()) ? "a constant" : "not produced by any node") + "; not supported");
      }
      outputs.add(v);
    }
    Graph graph = new Graph(s.inputs, s.buildNodes(), outputs);
    LOG.debug("imported ONNX model (opset {}, producer {}) with {} nodes", opset, m.getProducerName(), graph.nodes().size());
    return graph;
  }

  private static void addInput(ImportState s, ValueInfoProto in) {
    if (!in.getType().hasTensorType()) {
      throw new OnnxModelException("ONNX graph input '" + in.getName() + "' is not a tensor");
    }
    int elem = in.getType().getTensorType().getElemType();
    if (elem != TensorProto.DataType.FLOAT_VALUE) {
      throw new OnnxModelException("ONNX graph input '" + in.getName() + "' has element type "
          + TensorProto.DataType.forNumber(elem) + "; only FLOAT inputs are supported");
    }
    TensorShapeProto shape = in.getType().getTensorType().getShape();
    if (shape.getDimCount() < 2) {
      throw new OnnxModelException("ONNX graph input '" + in.getName() + "' has rank " + shape.getDimCount()
          + "; a batch dimension followed by sample dimensions is needed");
    }
    TensorShapeProto.Dimension b = shape.getDim(0);
    if (b.hasDimValue() && b.getDimValue() > 0) {
      int fixed = (int) b.getDimValue();
      if (s.fixedBatch > 0 && s.fixedBatch != fixed) {
        throw new OnnxModelException("ONNX graph inputs fix different batch sizes " + s.fixedBatch + " and " + fixed);
      }
      s.fixedBatch = fixed;
    }
    int[] sample = new int[shape.getDimCount() - 1];
    for (int i = 1; i < shape.getDimCount(); i++) {
      TensorShapeProto.Dimension d = shape.getDim(i);
      if (!d.hasDimValue() || d.getDimValue() <= 0) {
        throw new OnnxModelException("ONNX graph input '" + in.getName() + "' has unknown dimension " + i
            + (d.hasDimParam() ? " ('" + d.getDimParam() + "')" : "") + "; only the batch dimension may be symbolic");
      }
      sample[i - 1] = Math.toIntExact(d.getDimValue());
    }
    s.addInput(in.getName(), new Shape(sample));
  }
}
