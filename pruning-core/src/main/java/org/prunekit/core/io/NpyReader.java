package org.prunekit.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * Reads NumPy {@code .npy} arrays (format versions 1.0, 2.0 and 3.0) into heap float32 tensors.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, major and minor version bytes, the header length
 * (2 bytes little-endian in v1, 4 bytes in v2/v3), a Python-literal dict with {@code descr},
 * {@code fortran_order} and {@code shape}, then the raw data. Supported {@code descr}: {@code <f4}
 * (exact), {@code <f8}, {@code <f2}, {@code <i4}, {@code <i8}, {@code |u1}, {@code |b1}; the
 * conversions are those of {@link DType}. Big-endian, object and structured arrays are refused.
 * Fortran-ordered (column-major) arrays are transposed into row-major order, so the tensor has
 * the declared shape with C-order data. The data must be exactly {@code product(shape) * itemsize}
 * bytes: truncated files and trailing bytes are errors.
 */
public final class NpyReader {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** A parsed array with the {@code descr} it was stored in. */
  record Parsed(Tensor tensor, String descr) {}

  private NpyReader() {}

  /** Reads a {@code .npy} file. */
  public static Tensor read(Path file) throws IOException {
    return read(Files.readAllBytes(file), file.toString());
  }

  /** Reads {@code .npy} content held in memory; {@code label} names it in errors. */
  public static Tensor read(byte[] content, String label) throws InvalidFormatException {
    return parse(content, label).tensor();
  }

  /** The {@link DType} for an npy {@code descr}, or {@code null} if unsupported. */
  static DType dtypeOf(String descr) {
    return switch (descr) {
      case "<f4" -> DType.F32;
      case "<f8" -> DType.F64;
      case "<f2" -> DType.F16;
      case "<i4" -> DType.I32;
      case "<i8" -> DType.I64;
      case "|u1", "<u1" -> DType.U8;
      case "|b1", "<b1" -> DType.BOOL;
      default -> null;
    };
  }

  static Parsed parse(byte[] c, String label) throws InvalidFormatException {
    if (c.length < 10) {
      throw new InvalidFormatException(label + ": " + c.length + " bytes is too short for a .npy file");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (c[i] != MAGIC[i]) {
        throw new InvalidFormatException(label + ": not a .npy file (bad magic)");
      }
    }
    int major = c[6] & 0xff;
    ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = b.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (c.length < 12) {
        throw new InvalidFormatException(label + ": truncated .npy v" + major + " preamble");
      }
      headerLen = b.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new InvalidFormatException(label + ": unsupported .npy format version " + major + "." + (c[7] & 0xff));
    }
    if (headerStart + headerLen > c.length) {
      throw new InvalidFormatException(label + ": header length " + headerLen + " runs past the end of the file ("
          + c.length + " bytes)");
    }
    byte[] hb = new byte[(int) headerLen];
    System.arraycopy(c, headerStart, hb, 0, hb.length);
    String text = major == 3 ? StrictJson.utf8(hb, label + " header") : new String(hb, StandardCharsets.ISO_8859_1);
    Map<String, Object> h = NpyHeader.parse(text, label);
    if (!h.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
      throw new InvalidFormatException(label + ": .npy header must hold exactly descr, fortran_order and shape, got "
          + h.keySet());
    }
    if (!(h.get("descr") instanceof String descr)) {
      throw new InvalidFormatException(label + ": descr " + h.get("descr") + " is not a simple dtype (structured arrays"
          + " are not supported)");
    }
    DType dtype = dtypeOf(descr);
    if (dtype == null) {
      throw new InvalidFormatException(label + ": unsupported dtype '" + descr
          + "' (supported: <f4 <f8 <f2 <i4 <i8 |u1 |b1, little-endian)");
    }
    if (!(h.get("fortran_order") instanceof Boolean fortran)) {
      throw new InvalidFormatException(label + ": fortran_order must be True or False, got " + h.get("fortran_order"));
    }
    if (!(h.get("shape") instanceof List<?> dims)) {
      throw new InvalidFormatException(label + ": shape must be a tuple, got " + h.get("shape"));
    }
    int[] shape = new int[dims.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
        throw new InvalidFormatException(label + ": bad dimension " + dims.get(i) + " in shape " + dims);
      }
      shape[i] = (int) (long) d;
      numel = Math.multiplyExact(numel, d);
    }
    if (numel > Integer.MAX_VALUE - 8) {
      throw new InvalidFormatException(label + ": " + numel + " elements are more than a Java array holds");
    }
    long dataStart = headerStart + headerLen;
    long expected = numel * dtype.byteSize();
    long actual = c.length - dataStart;
    if (actual != expected) {
      throw new InvalidFormatException(label + ": shape " + dims + " of " + descr + " needs " + expected
          + " data bytes, file holds " + actual + (actual < expected ? " (truncated)" : " (trailing bytes)"));
    }
    float[] data = dtype.decode(b.position((int) dataStart), (int) numel);
    if (fortran && shape.length > 1) {
      data = fortranToC(data, shape);
    }
    return new Parsed(new Tensor(new Shape(shape), data), descr);
  }

  /** Reorders column-major data of {@code shape} into row-major order. */
  static float[] fortranToC(float[] f, int[] shape) {
    int n = shape.length;
    int[] fstride = new int[n];
    int s = 1;
    for (int i = 0; i < n; i++) {
      fstride[i] = s;
      s *= shape[i];
    }
    float[] out = new float[f.length];
    int[] idx = new int[n];
    for (int i = 0; i < out.length; i++) {
      int off = 0;
      for (int k = 0; k < n; k++) {
        off += idx[k] * fstride[k];
      }
      out[i] = f[off];
      for (int k = n - 1; k >= 0; k--) {
        if (++idx[k] < shape[k]) {
          break;
        }
        idx[k] = 0;
      }
    }
    return out;
  }
}
