package org.prunekit.core.io.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import onnx.Onnx.TensorProto;
import org.nd4j.shade.protobuf.ByteString;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * A constant ONNX tensor (an initializer or a Constant node's value) held as floats or as
 * integers, with conversions from and to {@link TensorProto}.
 *
 * @param name the ONNX tensor name
 * @param dims the dimensions (empty for a scalar)
 * @param floats the values for floating-point tensors, else {@code null}
 * @param longs the values for integer tensors, else {@code null}
 */
record OnnxConst(String name, int[] dims, float[] floats, long[] longs) {
  OnnxConst {
    dims = dims.clone();
    if ((floats == null) == (longs == null)) {
      throw new IllegalArgumentException("constant '" + name + "' needs exactly one of float or integer values");
    }
    long n = new Shape(dims).size();
    int have = floats != null ? floats.length : longs.length;
    if (n != have) {
      throw new OnnxModelException("ONNX tensor '" + name + "' has dims " + Arrays.toString(dims) + " (" + n
          + " values) but holds " + have + " values");
    }
  }

  /** Number of values. */
  int size() {
    return floats != null ? floats.length : longs.length;
  }

  /** The shape of the dims. */
  Shape shape() {
    return new Shape(dims);
  }

  /** Values as floats (integers converted). */
  float[] asFloats() {
    if (floats != null) {
      return floats;
    }
    float[] f = new float[longs.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = longs[i];
    }
    return f;
  }

  /** Values as integers; floating-point tensors are rejected, naming {@code user}. */
  long[] asLongs(String user) {
    if (longs == null) {
      throw new OnnxModelException(user + ": tensor '" + name + "' must hold integers, found floats");
    }
    return longs;
  }

  /** The values as a heap tensor of the same dims (a copy). */
  Tensor toTensor() {
    return new Tensor(shape(), asFloats().clone());
  }

  /** The same values with other dims. */
  OnnxConst withDims(String newName, int[] newDims) {
    return new OnnxConst(newName, newDims, floats, longs);
  }

  /**
   * Reads a tensor proto (float, double, float16 is rejected; int64, int32, int8, uint8, bool),
   * from its typed field or its little-endian {@code raw_data}.
   */
  static OnnxConst fromProto(TensorProto t, String name) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new OnnxModelException("ONNX tensor '" + name + "' keeps its data in an external file; "
          + "only embedded tensors are supported");
    }
    int[] dims = new int[t.getDimsCount()];
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      long d = t.getDims(i);
      if (d < 0 || d > Integer.MAX_VALUE) {
        throw new OnnxModelException("ONNX tensor '" + name + "' has dimension " + i + " = " + d);
      }
      dims[i] = (int) d;
      n *= d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new OnnxModelException("ONNX tensor '" + name + "' has " + n + " values, too many for one array");
    }
    int count = (int) n;
    ByteString raw = t.getRawData();
    boolean hasRaw = !raw.isEmpty();
    ByteBuffer buf = hasRaw ? raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
    int type = t.getDataType();
    switch (type) {
      case TensorProto.DataType.FLOAT_VALUE -> {
        float[] f = new float[count];
        if (hasRaw) {
          checkRaw(name, raw, count, 4);
          buf.asFloatBuffer().get(f);
        } else {
          checkCount(name, t.getFloatDataCount(), count);
          for (int i = 0; i < count; i++) {
            f[i] = t.getFloatData(i);
          }
        }
        return new OnnxConst(name, dims, f, null);
      }
      case TensorProto.DataType.DOUBLE_VALUE -> {
        float[] f = new float[count];
        if (hasRaw) {
          checkRaw(name, raw, count, 8);
          for (int i = 0; i < count; i++) {
            f[i] = (float) buf.getDouble(i * 8);
          }
        } else {
          checkCount(name, t.getDoubleDataCount(), count);
          for (int i = 0; i < count; i++) {
            f[i] = (float) t.getDoubleData(i);
          }
        }
        return new OnnxConst(name, dims, f, null);
      }
      case TensorProto.DataType.INT64_VALUE -> {
        long[] l = new long[count];
        if (hasRaw) {
          checkRaw(name, raw, count, 8);
          buf.asLongBuffer().get(l);
        } else {
          checkCount(name, t.getInt64DataCount(), count);
          for (int i = 0; i < count; i++) {
            l[i] = t.getInt64Data(i);
          }
        }
        return new OnnxConst(name, dims, null, l);
      }
      case TensorProto.DataType.INT32_VALUE, TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE,
          TensorProto.DataType.INT16_VALUE, TensorProto.DataType.BOOL_VALUE -> {
        long[] l = new long[count];
        if (hasRaw) {
          int width = type == TensorProto.DataType.INT32_VALUE ? 4 : type == TensorProto.DataType.INT16_VALUE ? 2 : 1;
          checkRaw(name, raw, count, width);
          for (int i = 0; i < count; i++) {
            l[i] = switch (width) {
              case 4 -> buf.getInt(i * 4);
              case 2 -> buf.getShort(i * 2);
              default -> type == TensorProto.DataType.INT8_VALUE ? buf.get(i) : buf.get(i) & 0xff;
            };
          }
        } else {
          checkCount(name, t.getInt32DataCount(), count);
          for (int i = 0; i < count; i++) {
            l[i] = t.getInt32Data(i);
          }
        }
        return new OnnxConst(name, dims, null, l);
      }
      default -> throw new OnnxModelException("ONNX tensor '" + name + "' has data type "
          + TensorProto.DataType.forNumber(type) + "; supported: FLOAT, DOUBLE, INT64, INT32, INT16, INT8, UINT8, BOOL");
    }
  }

  private static void checkRaw(String name, ByteString raw, int count, int width) {
    if (raw.size() != (long) count * width) {
      throw new OnnxModelException("ONNX tensor '" + name + "' has " + raw.size() + " raw bytes, expected "
          + count + " values of " + width + " bytes");
    }
  }

  private static void checkCount(String name, int have, int count) {
    if (have != count) {
      throw new OnnxModelException("ONNX tensor '" + name + "' holds " + have + " values, its dims need " + count);
    }
  }

  /** A float32 tensor proto with little-endian {@code raw_data}. */
  static TensorProto floatProto(String name, int[] dims, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (int d : dims) {
      t.addDims(d);
    }
    return t.setRawData(ByteString.copyFrom(b.array())).build();
  }

  /** An int64 tensor proto (1-D) in {@code int64_data}. */
  static TensorProto int64Proto(String name, long... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    return t.build();
  }
}
