package org.prunekit.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Element types the readers accept, and how each becomes float32.
 *
 * <p>Conversions to float32 (all data little-endian):
 *
 * <ul>
 *   <li>{@link #F32}: exact (bit patterns, NaN payloads included, are kept).
 *   <li>{@link #F16}: IEEE half to float, exact (subnormals, infinities and NaN preserved).
 *   <li>{@link #BF16}: bfloat16 to float, exact (the 16 bits become the float's high half).
 *   <li>{@link #F64}: rounded to the nearest float; magnitudes beyond float range become
 *       infinite, tiny values may flush to zero.
 *   <li>{@link #I64}, {@link #I32}: rounded to the nearest float; exact for |v| &le; 2^24.
 *   <li>{@link #U8}: 0..255, exact.
 *   <li>{@link #BOOL}: 0 for a zero byte, 1 for any other byte.
 * </ul>
 */
public enum DType {
  /** IEEE float32. */
  F32(4),
  /** IEEE float16. */
  F16(2),
  /** bfloat16. */
  BF16(2),
  /** IEEE float64. */
  F64(8),
  /** Signed 64-bit integer. */
  I64(8),
  /** Signed 32-bit integer. */
  I32(4),
  /** Unsigned byte. */
  U8(1),
  /** Boolean stored as one byte. */
  BOOL(1);

  private final int byteSize;

  DType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** The type for a safetensors dtype name, or {@code null} if unsupported. */
  public static DType fromSafetensors(String name) {
    for (DType d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  /**
   * Decodes {@code count} little-endian elements starting at the buffer's position into floats.
   *
   * @param buf the source, advanced past the elements
   * @param count number of elements
   * @return the values as float32
   */
  public float[] decode(ByteBuffer buf, int count) {
    ByteBuffer b = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[count];
    switch (this) {
      case F32 -> b.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < count; i++) {
          out[i] = halfToFloat(b.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
        }
      }
      case F64 -> {
        for (int i = 0; i < count; i++) {
          out[i] = (float) b.getDouble(8 * i);
        }
      }
      case I64 -> {
        for (int i = 0; i < count; i++) {
          out[i] = (float) b.getLong(8 * i);
        }
      }
      case I32 -> {
        for (int i = 0; i < count; i++) {
          out[i] = (float) b.getInt(4 * i);
        }
      }
      case U8 -> {
        for (int i = 0; i < count; i++) {
          out[i] = b.get(i) & 0xff;
        }
      }
      case BOOL -> {
        for (int i = 0; i < count; i++) {
          out[i] = b.get(i) != 0 ? 1f : 0f;
        }
      }
      default -> throw new AssertionError(this);
    }
    buf.position(buf.position() + count * byteSize);
    return out;
  }

  /** Converts IEEE 754 half-precision bits to a float, exactly. */
  public static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }
}
