package org.prunekit.core.io.onnx;

import static org.prunekit.core.io.onnx.ImportState.describe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.tensor.Tensor;

/** Converts one ONNX node at a time into graph nodes, constants or aliases. */
final class OnnxNodeConverter {
  private final ImportState s;

  OnnxNodeConverter(ImportState state) {
    this.s = state;
  }

  void convert(NodeProto n) {
    String where = describe(n);
    if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
      throw new OnnxModelException(where + " is in operator domain '" + n.getDomain() + "'; only the default domain is supported");
    }
    if (n.getOutputCount() == 0) {
      throw new OnnxModelException(where + " has no outputs");
    }
    OnnxAttributes a = new OnnxAttributes(n, where);
    if (n.getOpType().equals("Constant")) {
      s.consts.put(n.getOutput(0), constantValue(n, a));
      return;
    }
    List<String> ins = presentInputs(n);
    boolean allConst = !ins.isEmpty() && ins.stream().allMatch(s::isConst);
    if (allConst) {
      s.consts.put(n.getOutput(0), ConstantFolding.fold(n, a, s));
      return;
    }
    switch (n.getOpType()) {
      case "Identity", "Dropout" -> {
        requireSingleUsedOutput(n);
        s.value(n, n.getInput(0));
        s.alias(n.getOutput(0), n.getInput(0));
      }
      case "Relu" -> activation(n, Activation.of(Activation.Kind.RELU));
      case "Sigmoid" -> activation(n, Activation.of(Activation.Kind.SIGMOID));
      case "Tanh" -> activation(n, Activation.of(Activation.Kind.TANH));
      case "Softmax" -> softmax(n, a, Activation.Kind.SOFTMAX);
      case "LogSoftmax" -> softmax(n, a, Activation.Kind.LOG_SOFTMAX);
      case "Conv" -> conv(n, a);
      case "Gemm" -> gemm(n, a);
      case "MatMul" -> matmul(n);
      case "Add" -> add(n);
      case "MaxPool" -> pool(n, a, Pool.Kind.MAX);
      case "AveragePool" -> pool(n, a, Pool.Kind.AVG);
      case "GlobalAveragePool" -> s.add(n, new GlobalPool(Pool.Kind.AVG, true), List.of(s.value(n, n.getInput(0))), Map.of());
      case "GlobalMaxPool" -> s.add(n, new GlobalPool(Pool.Kind.MAX, true), List.of(s.value(n, n.getInput(0))), Map.of());
      case "BatchNormalization" -> batchNorm(n, a);
      case "Flatten" -> flatten(n, a);
      case "Reshape" -> reshape(n, a);
      case "Concat" -> concat(n, a);
      default -> throw new OnnxModelException("unsupported ONNX operator: " + where
          + "; supported: Conv, Gemm, MatMul, Add, Relu, Sigmoid, Tanh, Softmax, LogSoftmax, MaxPool, AveragePool, "
          + "GlobalAveragePool, GlobalMaxPool, BatchNormalization, Flatten, Reshape, Concat, Identity, Dropout, Constant");
    }
  }

  private static List<String> presentInputs(NodeProto n) {
    List<String> l = new ArrayList<>();
    for (String i : n.getInputList()) {
      if (!i.isEmpty()) {
        l.add(i);
      }
    }
    return l;
  }

  private void requireSingleUsedOutput(NodeProto n) {
    for (int i = 1; i < n.getOutputCount(); i++) {
      if (!n.getOutput(i).isEmpty() && s.uses(n.getOutput(i)) > 0) {
        throw new OnnxModelException(describe(n) + ": its output " + i + " ('" + n.getOutput(i)
            + "') is used, which only training-mode graphs do; not supported");
      }
    }
  }

  private OnnxConst constantValue(NodeProto n, OnnxAttributes a) {
    String out = n.getOutput(0);
    AttributeProto v = a.get("value");
    if (v != null) {
      return OnnxConst.fromProto(v.getT(), out);
    }
    if (a.has("value_float")) {
      return new OnnxConst(out, new int[0], new float[] {a.getFloat("value_float", 0f)}, null);
    }
    if (a.has("value_int")) {
      return new OnnxConst(out, new int[0], null, new long[] {a.getInt("value_int", 0)});
    }
    AttributeProto fs = a.get("value_floats");
    if (fs != null) {
      float[] f = new float[fs.getFloatsCount()];
      for (int i = 0; i < f.length; i++) {
        f[i] = fs.getFloats(i);
      }
      return new OnnxConst(out, new int[] {f.length}, f, null);
    }
    AttributeProto is = a.get("value_ints");
    if (is != null) {
      long[] l = new long[is.getIntsCount()];
      for (int i = 0; i < l.length; i++) {
        l[i] = is.getInts(i);
      }
      return new OnnxConst(out, new int[] {l.length}, null, l);
    }
    throw new OnnxModelException(describe(n) + ": Constant without a value, value_float(s) or value_int(s) attribute");
  }

  private void activation(NodeProto n, Activation act) {
    s.add(n, act, List.of(s.value(n, n.getInput(0))), Map.of());
  }

  private void softmax(NodeProto n, OnnxAttributes a, Activation.Kind kind) {
    String x = s.value(n, n.getInput(0));
    Shape sh = s.shapeOf(x);
    int r = sh.rank();
    int axis = (int) a.getInt("axis", s.opset < 13 ? 1 : -1);
    int ax = axis < 0 ? axis + r : axis;
    if (ax <= 0 || ax >= r) {
      throw new OnnxModelException(describe(n) + ": axis " + axis + " of a rank-" + r
          + " input is the batch axis or out of range; not supported");
    }
    if (s.opset < 13 && ax != r - 1 && sh.sizeFrom(ax + 1) != 1) {
      throw new OnnxModelException(describe(n) + ": before opset 13, axis " + axis
          + " means a softmax over all of dimensions " + ax + ".." + (r - 1) + " of shape " + sh + "; not supported");
    }
    activation(n, new Activation(kind, ax == r - 1 ? -1 : ax));
  }

  private void conv(NodeProto n, OnnxAttributes a) {
    String x = s.value(n, n.getInput(0));
    OnnxConst w = s.constant(n, n.getInput(1), "weight");
    int dims = w.dims().length - 2;
    if (dims < 1 || dims > 3) {
      throw new OnnxModelException(describe(n) + ": weight '" + w.name() + "' has rank " + w.dims().length + "; 1-3d convolutions only");
    }
    int group = (int) a.getInt("group", 1);
    int[] k = Arrays.copyOfRange(w.dims(), 2, w.dims().length);
    int[] ks = a.getInts("kernel_shape");
    if (ks != null && !Arrays.equals(ks, k)) {
      throw new OnnxModelException(describe(n) + ": kernel_shape " + Arrays.toString(ks) + " differs from weight dims " + Arrays.toString(w.dims()));
    }
    int[] stride = intsOr(a, "strides", dims, 1);
    int[] dil = intsOr(a, "dilations", dims, 1);
    Padding pad = padding(n, a, dims);
    int out = w.dims()[0];
    int in = w.dims()[1] * group;
    boolean hasBias = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
    Conv op;
    try {
      op = new Conv(dims, in, out, k, stride, pad, dil, group, hasBias);
    } catch (IllegalArgumentException e) {
      throw new OnnxModelException(describe(n) + ": " + e.getMessage(), e);
    }
    Map<String, Tensor> p = new java.util.LinkedHashMap<>();
    p.put("weight", w.toTensor());
    if (hasBias) {
      p.put("bias", vector(n, s.constant(n, n.getInput(2), "bias"), out, 1f));
    }
    s.add(n, op, List.of(x), p);
  }

  private void gemm(NodeProto n, OnnxAttributes a) {
    if (a.getInt("transA", 0) != 0) {
      throw new OnnxModelException(describe(n) + ": transA=1 is not supported");
    }
    String x = s.value(n, n.getInput(0));
    OnnxConst b = s.constant(n, n.getInput(1), "weight");
    if (b.dims().length != 2) {
      throw new OnnxModelException(describe(n) + ": weight '" + b.name() + "' must be 2-D, has dims " + Arrays.toString(b.dims()));
    }
    boolean transB = a.getInt("transB", 0) != 0;
    float alpha = a.getFloat("alpha", 1f);
    float beta = a.getFloat("beta", 1f);
    Tensor wt = transB ? b.toTensor() : transpose(b.asFloats(), b.dims()[0], b.dims()[1]);
    if (alpha != 1f) {
      float[] d = wt.data();
      for (int i = 0; i < d.length; i++) {
        d[i] *= alpha;
      }
    }
    int out = wt.shape().get(0);
    int in = wt.shape().get(1);
    boolean hasBias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() && beta != 0f;
    Map<String, Tensor> p = new java.util.LinkedHashMap<>();
    p.put("weight", wt);
    if (hasBias) {
      OnnxConst c = s.constant(n, n.getInput(2), "bias");
      int[] cd = c.dims();
      for (int i = 0; i < cd.length - 1; i++) {
        if (cd[i] != 1) {
          throw new OnnxModelException(describe(n) + ": bias C of dims " + Arrays.toString(cd)
              + " varies across rows; only a per-output bias ([N], [1,N] or scalar) is supported");
        }
      }
      p.put("bias", vector(n, c, out, beta));
    }
    s.add(n, new Linear(in, out, hasBias), List.of(x), p);
  }

  private void matmul(NodeProto n) {
    String x = s.value(n, n.getInput(0));
    OnnxConst b = s.constant(n, n.getInput(1), "right operand");
    if (b.dims().length != 2) {
      throw new OnnxModelException(describe(n) + ": constant right operand '" + b.name() + "' must be 2-D, has dims " + Arrays.toString(b.dims()));
    }
    Tensor wt = transpose(b.asFloats(), b.dims()[0], b.dims()[1]);
    s.add(n, new Linear(b.dims()[0], b.dims()[1], false), List.of(x), Map.of("weight", wt));
  }

  private void add(NodeProto n) {
    if (n.getInputCount() != 2) {
      throw new OnnxModelException(describe(n) + ": Add needs two inputs, has " + n.getInputCount());
    }
    String a0 = n.getInput(0);
    String a1 = n.getInput(1);
    if (s.isConst(a0) || s.isConst(a1)) {
      String t = s.isConst(a0) ? a1 : a0;
      OnnxConst c = s.consts.get(s.isConst(a0) ? a0 : a1);
      foldBias(n, s.value(n, t), t, c);
      return;
    }
    s.add(n, new Add(), List.of(s.value(n, a0), s.value(n, a1)), Map.of());
  }

  /** Folds {@code x + c} into the bias of the Conv or Linear node producing {@code x}. */
  private void foldBias(NodeProto n, String x, String tensor, OnnxConst c) {
    ImportState.Pending p = s.nodes.get(x);
    boolean producer = p != null && (p.op instanceof Conv || p.op instanceof Linear);
    if (!producer || s.uses(tensor) != 1 || s.uses(p.onnxOutput) != 1) {
      throw new OnnxModelException(describe(n) + ": adds constant '" + c.name() + "' to '" + tensor
          + "', which is not the output of a Conv, Gemm or MatMul used only by this Add; "
          + "only such bias additions are supported");
    }
    Shape out = s.shapeOf(x);
    int r = out.rank();
    int channelAxis = p.op instanceof Conv ? 1 : r - 1;
    int channels = out.get(channelAxis);
    int[] cd = c.dims();
    boolean ok = cd.length <= r;
    for (int j = 0; ok && j < cd.length; j++) {
      int axis = r - cd.length + j;
      ok = cd[j] == 1 || (axis == channelAxis && cd[j] == channels);
    }
    if (!ok) {
      throw new OnnxModelException(describe(n) + ": constant '" + c.name() + "' of dims " + Arrays.toString(cd)
          + " is not a per-channel bias for output shape " + out + " (channel axis " + channelAxis + ")");
    }
    Tensor add = vector(n, c, channels, 1f);
    Tensor old = p.params.get("bias");
    if (old != null) {
      float[] d = add.data();
      for (int i = 0; i < d.length; i++) {
        d[i] += old.data()[i];
      }
    }
    if (p.op instanceof Conv cv) {
      p.op = new Conv(cv.spatialDims(), cv.inChannels(), cv.outChannels(), cv.kernel(), cv.stride(), cv.padding(),
          cv.dilation(), cv.groups(), true);
    } else {
      Linear l = (Linear) p.op;
      p.op = new Linear(l.inFeatures(), l.outFeatures(), true);
    }
    p.params.put("bias", add);
    s.alias(n.getOutput(0), tensor);
  }

  private void pool(NodeProto n, OnnxAttributes a, Pool.Kind kind) {
    requireSingleUsedOutput(n);
    String x = s.value(n, n.getInput(0));
    int[] k = a.getInts("kernel_shape");
    if (k == null) {
      throw new OnnxModelException(describe(n) + ": missing kernel_shape");
    }
    int dims = k.length;
    if (a.getInt("ceil_mode", 0) != 0) {
      throw new OnnxModelException(describe(n) + ": ceil_mode=1 is not supported");
    }
    int[] dil = intsOr(a, "dilations", dims, 1);
    for (int d : dil) {
      if (d != 1) {
        throw new OnnxModelException(describe(n) + ": pooling dilations " + Arrays.toString(dil) + " are not supported");
      }
    }
    if (a.getInt("storage_order", 0) != 0) {
      throw new OnnxModelException(describe(n) + ": storage_order=1 is not supported");
    }
    boolean countPad = a.getInt("count_include_pad", 0) != 0;
    Pool op;
    try {
      op = new Pool(kind, dims, k, intsOr(a, "strides", dims, 1), padding(n, a, dims), countPad);
    } catch (IllegalArgumentException e) {
      throw new OnnxModelException(describe(n) + ": " + e.getMessage(), e);
    }
    s.add(n, op, List.of(x), Map.of());
  }

  private void batchNorm(NodeProto n, OnnxAttributes a) {
    requireSingleUsedOutput(n);
    if (a.getInt("spatial", 1) != 1 || a.getInt("training_mode", 0) != 0) {
      throw new OnnxModelException(describe(n) + ": spatial=0 or training_mode=1 is not supported");
    }
    String x = s.value(n, n.getInput(0));
    if (s.shapeOf(x).rank() < 2) {
      throw new OnnxModelException(describe(n) + ": input shape " + s.shapeOf(x) + " has no channel axis");
    }
    int c = s.shapeOf(x).get(1);
    float eps = a.getFloat("epsilon", 1e-5f);
    float momentum = a.getFloat("momentum", 0.9f);
    Map<String, Tensor> p = new java.util.LinkedHashMap<>();
    String[] names = {"gamma", "beta", "running_mean", "running_var"};
    for (int i = 0; i < 4; i++) {
      p.put(names[i], vector(n, s.constant(n, n.getInput(i + 1), names[i]), c, 1f));
    }
    s.add(n, new BatchNorm(c, eps, complement(momentum)), List.of(x), p);
  }

  private void flatten(NodeProto n, OnnxAttributes a) {
    String x = s.value(n, n.getInput(0));
    int r = s.shapeOf(x).rank();
    long axis = a.getInt("axis", 1);
    if (axis < 0) {
      axis += r;
    }
    if (axis != 1) {
      throw new OnnxModelException(describe(n) + ": Flatten axis " + a.getInt("axis", 1) + " of a rank-" + r
          + " input would merge the batch with other dimensions or leave it split; only axis 1 is supported");
    }
    s.add(n, new Flatten(1), List.of(x), Map.of());
  }

  private void reshape(NodeProto n, OnnxAttributes a) {
    String x = s.value(n, n.getInput(0));
    long[] shape = reshapeTarget(n, a, s);
    Shape in = s.shapeOf(x);
    long first = shape.length == 0 ? Long.MIN_VALUE : shape[0];
    if (first != 0 && first != -1 && !(s.fixedBatch > 0 && first == s.fixedBatch)) {
      throw new OnnxModelException(describe(n) + ": target shape " + Arrays.toString(shape)
          + " does not keep the batch dimension first (0, -1" + (s.fixedBatch > 0 ? " or " + s.fixedBatch : "") + ")");
    }
    int[] target = new int[shape.length - 1];
    for (int i = 1; i < shape.length; i++) {
      long v = shape[i];
      if (v == 0 && a.getInt("allowzero", 0) == 0) {
        if (i >= in.rank()) {
          throw new OnnxModelException(describe(n) + ": target " + Arrays.toString(shape) + " copies dimension " + i + " of a rank-" + in.rank() + " input");
        }
        v = in.get(i);
      }
      if (v == -1 && first == -1) {
        throw new OnnxModelException(describe(n) + ": target " + Arrays.toString(shape) + " has -1 both for the batch and for dimension " + i);
      }
      target[i - 1] = Math.toIntExact(v);
    }
    Reshape op;
    try {
      op = new Reshape(target);
    } catch (IllegalArgumentException e) {
      throw new OnnxModelException(describe(n) + ": " + e.getMessage(), e);
    }
    s.add(n, op, List.of(x), Map.of());
  }

  /** The target shape of a Reshape: its constant second input, or the {@code shape} attribute (opset < 5). */
  static long[] reshapeTarget(NodeProto n, OnnxAttributes a, ImportState s) {
    if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
      return s.constant(n, n.getInput(1), "shape").asLongs(describe(n));
    }
    int[] attr = a.getInts("shape");
    if (attr == null) {
      throw new OnnxModelException(describe(n) + ": no shape input or attribute");
    }
    return Arrays.stream(attr).asLongStream().toArray();
  }

  private void concat(NodeProto n, OnnxAttributes a) {
    List<String> in = new ArrayList<>();
    for (String t : n.getInputList()) {
      in.add(s.value(n, t));
    }
    int r = s.shapeOf(in.get(0)).rank();
    if (!a.has("axis")) {
      throw new OnnxModelException(describe(n) + ": missing axis");
    }
    long axis = a.getInt("axis", 1);
    if (axis < 0) {
      axis += r;
    }
    if (axis < 1 || axis >= r) {
      throw new OnnxModelException(describe(n) + ": axis " + a.getInt("axis", 1) + " of rank-" + r + " inputs is the batch axis or out of range");
    }
    s.add(n, new Concat((int) axis), in, Map.of());
  }

  private Padding padding(NodeProto n, OnnxAttributes a, int dims) {
    String auto = a.getString("auto_pad", "NOTSET");
    switch (auto) {
      case "SAME_UPPER":
        return new Padding(Padding.Mode.SAME_UPPER, new int[dims], new int[dims]);
      case "SAME_LOWER":
        return new Padding(Padding.Mode.SAME_LOWER, new int[dims], new int[dims]);
      case "VALID":
        return Padding.valid(dims);
      case "NOTSET":
      case "":
        int[] pads = a.getInts("pads");
        if (pads == null) {
          return Padding.valid(dims);
        }
        if (pads.length != 2 * dims) {
          throw new OnnxModelException(describe(n) + ": pads " + Arrays.toString(pads) + " needs " + 2 * dims + " values");
        }
        return new Padding(Padding.Mode.EXPLICIT, Arrays.copyOfRange(pads, 0, dims), Arrays.copyOfRange(pads, dims, 2 * dims));
      default:
        throw new OnnxModelException(describe(n) + ": unknown auto_pad '" + auto + "'");
    }
  }

  private static int[] intsOr(OnnxAttributes a, String name, int dims, int dflt) {
    int[] v = a.getInts(name);
    if (v == null) {
      v = new int[dims];
      Arrays.fill(v, dflt);
    }
    return v;
  }

  /** A constant with {@code n} values (or one, broadcast) as a vector {@code [n]} times {@code scale}. */
  private static Tensor vector(NodeProto node, OnnxConst c, int n, float scale) {
    float[] src = c.asFloats();
    float[] out = new float[n];
    if (src.length == n) {
      for (int i = 0; i < n; i++) {
        out[i] = src[i] * scale;
      }
    } else if (src.length == 1) {
      Arrays.fill(out, src[0] * scale);
    } else {
      throw new OnnxModelException(describe(node) + ": tensor '" + c.name() + "' of dims " + Arrays.toString(c.dims())
          + " holds " + src.length + " values where " + n + " per-channel values are expected");
    }
    return Tensor.of(out, n);
  }

  /**
   * {@code 1 - m} rounded to six decimals: ONNX and PyTorch define batch-norm momentum as
   * complements, and the rounding keeps 0.9 and 0.1 exact in both directions.
   */
  static float complement(float m) {
    return (float) (Math.round((1.0 - m) * 1e6) / 1e6);
  }

  static Tensor transpose(float[] d, int rows, int cols) {
    float[] t = new float[d.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = d[i * cols + j];
      }
    }
    return Tensor.of(t, cols, rows);
  }
}
