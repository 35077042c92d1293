package org.prunekit.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.prunekit.core.tensor.TensorData;

/**
 * A streaming SHA-256 over calibration data, so that a pruned model records exactly which data
 * chose its masks.
 *
 * <p>For each array, in the order given, the digest takes its length as an 8-byte little-endian
 * integer and then each value's IEEE 754 bits ({@link Float#floatToRawIntBits}) as 4 little-endian
 * bytes. The length prefix makes {@code [a, b] + [c]} and {@code [a] + [b, c]} hash differently;
 * shapes are not included (hash the shape separately if it matters).
 *
 * <pre>{@code
 * CalibrationHash h = new CalibrationHash();
 * for (float[] sample : samples) h.update(sample);
 * builder.optCalibration(h.count(), h.hex());
 * }</pre>
 */
public final class CalibrationHash {
  private final MessageDigest digest;
  private final ByteBuffer buf = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
  private long count;

  /** Starts an empty hash. */
  public CalibrationHash() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** Adds one array of values. */
  public CalibrationHash update(float[] values) {
    buf.putLong(values.length);
    for (float v : values) {
      if (buf.remaining() < 4) {
        flush();
      }
      buf.putInt(Float.floatToRawIntBits(v));
    }
    flush();
    count++;
    return this;
  }

  /** Adds the values of a tensor (row-major). */
  public CalibrationHash update(TensorData t) {
    return update(t.toFloatArray());
  }

  /** How many arrays were added. */
  public long count() {
    return count;
  }

  /** The lowercase hex SHA-256 of everything added so far (the hash can keep growing). */
  public String hex() {
    try {
      MessageDigest copy = (MessageDigest) digest.clone();
      return HexFormat.of().formatHex(copy.digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  private void flush() {
    buf.flip();
    digest.update(buf);
    buf.clear();
  }
}
