package org.prunekit.core.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;

/**
 * Writes safetensors files: float32 tensors ({@code F32}, bit-exact) and byte tensors ({@code U8},
 * for 0/1 masks or other small integers).
 *
 * <p>Tensors are laid out in the order added, contiguously; the JSON header is padded with spaces
 * to a multiple of 8 bytes, so the data section is aligned. The output is a pure function of the
 * tensors and metadata added (no timestamps), so equal content gives equal bytes.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *     .putMetadata("format", "pt")
 *     .addF32("fc.weight", weight)
 *     .addU8("fc.weight", mask)   // refused: names are unique
 *     .write(path);
 * }</pre>
 */
public final class SafetensorsWriter {
  private record Item(DType dtype, Shape shape, Object data) {}

  private final Map<String, Item> tensors = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Creates an empty writer. */
  public SafetensorsWriter() {}

  /** Adds a string metadata entry ({@code __metadata__}). */
  public SafetensorsWriter putMetadata(String key, String value) {
    metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Adds a float32 tensor (values copied now). */
  public SafetensorsWriter addF32(String name, TensorData t) {
    checkName(name);
    tensors.put(name, new Item(DType.F32, t.shape(), t.toFloatArray().clone()));
    return this;
  }

  /**
   * Adds a tensor stored as unsigned bytes.
   *
   * @throws IllegalArgumentException naming the tensor and index if a value is not an integer in
   *     0..255
   */
  public SafetensorsWriter addU8(String name, TensorData t) {
    checkName(name);
    float[] v = t.toFloatArray();
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0f && v[i] <= 255f) || v[i] != Math.rint(v[i])) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' holds " + v[i] + " at index " + i + ", not storable as U8 (integers 0..255)");
      }
      b[i] = (byte) (int) v[i];
    }
    tensors.put(name, new Item(DType.U8, t.shape(), b));
    return this;
  }

  private void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.equals("__metadata__")) {
      throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
    }
    if (tensors.containsKey(name)) {
      throw new IllegalArgumentException("tensor '" + name + "' was already added");
    }
  }

  /** The complete file content. */
  public byte[] toBytes() {
    JsonObject header = new JsonObject();
    if (!metadata.isEmpty()) {
      JsonObject m = new JsonObject();
      metadata.forEach(m::addProperty);
      header.add("__metadata__", m);
    }
    long offset = 0;
    for (Map.Entry<String, Item> e : tensors.entrySet()) {
      DType d = e.getValue().dtype();
      Shape s = e.getValue().shape();
      long len = s.size() * d.byteSize();
      JsonObject o = new JsonObject();
      o.addProperty("dtype", d.name());
      JsonArray shape = new JsonArray();
      for (int x : s.dims()) {
        shape.add(x);
      }
      o.add("shape", shape);
      JsonArray off = new JsonArray();
      off.add(offset);
      off.add(offset + len);
      o.add("data_offsets", off);
      header.add(e.getKey(), o);
      offset += len;
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded);
    out.put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    for (Item v : tensors.values()) {
      if (v.dtype() == DType.F32) {
        for (float f : (float[]) v.data()) {
          out.putInt(Float.floatToRawIntBits(f));
        }
      } else {
        out.put((byte[]) v.data());
      }
    }
    return out.array();
  }

  /** Writes the file atomically (a temporary file in the same folder, then a move). */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, toBytes());
  }
}
