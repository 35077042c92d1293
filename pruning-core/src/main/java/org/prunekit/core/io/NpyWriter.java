package org.prunekit.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.ByteMask;
import org.prunekit.core.tensor.TensorData;

/**
 * Writes {@code .npy} files (format 1.0, C order): float32 ({@code <f4}, bit-exact) or unsigned
 * bytes ({@code |u1}, for 0/1 masks). The header is padded with spaces and ends in a newline so
 * that the data starts at a multiple of 64 bytes, as NumPy writes it.
 */
public final class NpyWriter {
  private NpyWriter() {}

  /** The {@code .npy} bytes of a float32 array. */
  public static byte[] toBytesF32(TensorData t) {
    float[] v = t.toFloatArray();
    ByteBuffer b = start("<f4", t.shape(), v.length * 4L);
    for (float f : v) {
      b.putInt(Float.floatToRawIntBits(f));
    }
    return b.array();
  }

  /**
   * The {@code .npy} bytes of an unsigned-byte array.
   *
   * @throws IllegalArgumentException naming the index if a value is not an integer in 0..255
   */
  public static byte[] toBytesU8(TensorData t) {
    float[] v = t.toFloatArray();
    ByteBuffer b = start("|u1", t.shape(), v.length);
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0f && v[i] <= 255f) || v[i] != Math.rint(v[i])) {
        throw new IllegalArgumentException("value " + v[i] + " at index " + i + " is not storable as |u1 (0..255)");
      }
      b.put((byte) (int) v[i]);
    }
    return b.array();
  }

  /** The {@code .npy} bytes ({@code |u1}) of a byte mask. */
  public static byte[] toBytesU8(ByteMask mask) {
    byte[] v = mask.bytes();
    ByteBuffer b = start("|u1", mask.shape(), v.length);
    b.put(v);
    return b.array();
  }

  /** Writes a byte mask as an unsigned-byte {@code .npy} file atomically. */
  public static void writeU8(Path file, ByteMask mask) throws IOException {
    AtomicFiles.write(file, toBytesU8(mask));
  }

  /** Writes a float32 {@code .npy} file atomically. */
  public static void writeF32(Path file, TensorData t) throws IOException {
    AtomicFiles.write(file, toBytesF32(t));
  }

  /** Writes an unsigned-byte {@code .npy} file atomically. */
  public static void writeU8(Path file, TensorData t) throws IOException {
    AtomicFiles.write(file, toBytesU8(t));
  }

  private static ByteBuffer start(String descr, Shape s, long dataBytes) {
    int[] dims = s.dims();
    StringBuilder shape = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      shape.append(dims[i]).append(i == 0 && dims.length == 1 ? "," : i < dims.length - 1 ? ", " : "");
    }
    shape.append(')');
    StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }");
    int total = 10 + h.length() + 1;
    int pad = (64 - total % 64) % 64;
    h.append(" ".repeat(pad)).append('\n');
    byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (hb.length > 65535) {
      throw new IllegalArgumentException("npy header too long for format 1.0: " + hb.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(10 + hb.length + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(NpyReader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) hb.length).put(hb);
    return b;
  }
}
