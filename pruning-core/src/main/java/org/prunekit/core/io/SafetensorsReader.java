package org.prunekit.core.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the <a href="https://github.com/huggingface/safetensors">safetensors</a> format: an 8-byte
 * little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON {@code {name: {dtype,
 * shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}}, then the raw little-endian
 * data (offsets relative to the end of the header).
 *
 * <p>{@link #open} validates the whole header before any data is read: header length within the
 * file and at most {@value #MAX_HEADER_BYTES} bytes, strict JSON without duplicate names, every
 * dtype known, shapes of non-negative integers, offsets inside the data section, {@code end -
 * begin == product(shape) * dtype size}, and no two tensors overlapping. Tensors are then read on
 * demand ({@link #read}) into heap float32 tensors; see {@link DType} for the conversions of F16,
 * BF16, F64, I64, I32, U8 and BOOL. Other safetensors dtypes (I8, I16, U16, U32, U64, F8_*) are
 * recognised for validation but refused on read with an error naming the tensor.
 *
 * <p>A reader over a file holds an open channel: close it (try-with-resources). {@link #readAll}
 * reads everything and closes.
 */
public final class SafetensorsReader implements TensorSource, Closeable {
  /** The largest header accepted (the reference implementation's limit). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(SafetensorsReader.class);
  private static final Map<String, Integer> KNOWN_SIZES =
      Map.ofEntries(
          Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
          Map.entry("F8_E4M3", 1), Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2),
          Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
          Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8));

  /**
   * One tensor's header entry.
   *
   * @param name the tensor name
   * @param dtype the safetensors dtype name
   * @param shape the shape
   * @param begin first data byte, relative to the data section
   * @param end one past the last data byte
   */
  public record Entry(String name, String dtype, Shape shape, long begin, long end) {}

  private final String label;
  private final FileChannel channel;
  private final ByteBuffer bytes;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafetensorsReader(String label, FileChannel channel, ByteBuffer bytes) throws IOException {
    this.label = label;
    this.channel = channel;
    this.bytes = bytes;
    long size = channel != null ? channel.size() : bytes.capacity();
    if (size < 8) {
      throw new InvalidFormatException(label + ": " + size + " bytes is too short for a safetensors header");
    }
    long n = readAt(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
      throw new InvalidFormatException(label + ": header length " + Long.toUnsignedString(n)
          + " is out of bounds (file has " + size + " bytes, limit " + MAX_HEADER_BYTES + ")");
    }
    byte[] h = new byte[(int) n];
    readAt(8, (int) n).get(h);
    this.dataStart = 8 + n;
    String what = label + " header";
    JsonObject root = StrictJson.parseObject(StrictJson.utf8(h, what), what);
    Map<String, Entry> e = new LinkedHashMap<>();
    Map<String, String> meta = new LinkedHashMap<>();
    long dataSize = size - dataStart;
    for (Map.Entry<String, JsonElement> m : root.entrySet()) {
      if (m.getKey().equals("__metadata__")) {
        parseMetadata(m.getValue(), meta);
      } else {
        e.put(m.getKey(), parseEntry(m.getKey(), m.getValue(), dataSize));
      }
    }
    checkOverlaps(e.values(), dataSize);
    this.entries = Collections.unmodifiableMap(e);
    this.metadata = Collections.unmodifiableMap(meta);
  }

  /**
   * Opens and validates a safetensors file; data is read on demand.
   *
   * @throws InvalidFormatException naming the file and the tensor or field at fault
   */
  public static SafetensorsReader open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new SafetensorsReader(file.toString(), ch, null);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Opens and validates safetensors content held in memory ({@code label} names it in errors). */
  public static SafetensorsReader open(byte[] content, String label) throws IOException {
    return new SafetensorsReader(label, null, ByteBuffer.wrap(content).asReadOnlyBuffer());
  }

  /** Reads every tensor of a file into memory. */
  public static TensorFile readAll(Path file) throws IOException {
    try (SafetensorsReader r = open(file)) {
      return r.readAll();
    }
  }

  /** Reads every tensor of in-memory content. */
  public static TensorFile readAll(byte[] content, String label) throws IOException {
    try (SafetensorsReader r = open(content, label)) {
      return r.readAll();
    }
  }

  /** Reads every tensor of this file. */
  public TensorFile readAll() throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    Map<String, String> d = new LinkedHashMap<>();
    for (Entry en : entries.values()) {
      t.put(en.name(), read(en.name()));
      d.put(en.name(), en.dtype());
    }
    return new TensorFile(t, d, metadata);
  }

  /** The {@code __metadata__} map (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Header entries by name, in header order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  @Override
  public Set<String> names() {
    return entries.keySet();
  }

  @Override
  public Shape shape(String name) {
    return entry(name).shape();
  }

  /** The header entry of {@code name}. */
  public Entry entry(String name) {
    Entry en = entries.get(name);
    if (en == null) {
      throw new IllegalArgumentException(label + ": no tensor '" + name + "'; tensors: " + entries.keySet());
    }
    return en;
  }

  @Override
  public Tensor read(String name) throws IOException {
    Entry en = entry(name);
    DType t = DType.fromSafetensors(en.dtype());
    if (t == null) {
      throw new InvalidFormatException(label + ": tensor '" + name + "' has dtype " + en.dtype()
          + ", which cannot be read as float (supported: F32, F16, BF16, F64, I64, I32, U8, BOOL)");
    }
    int count = Math.toIntExact(en.shape().size());
    ByteBuffer b = readAt(dataStart + en.begin(), (int) (en.end() - en.begin()));
    return new Tensor(en.shape(), t.decode(b, count));
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  private ByteBuffer readAt(long pos, int len) throws IOException {
    if (bytes != null) {
      return bytes.duplicate().position((int) pos).limit((int) pos + len).slice();
    }
    ByteBuffer b = ByteBuffer.allocate(len);
    while (b.hasRemaining()) {
      int r = channel.read(b, pos + b.position());
      if (r < 0) {
        throw new InvalidFormatException(label + ": unexpected end of file at byte " + (pos + b.position()));
      }
    }
    return b.flip();
  }

  private void parseMetadata(JsonElement v, Map<String, String> meta) throws InvalidFormatException {
    if (!v.isJsonObject()) {
      throw new InvalidFormatException(label + ": __metadata__ must be an object of strings, got " + StrictJson.kind(v));
    }
    for (Map.Entry<String, JsonElement> m : v.getAsJsonObject().entrySet()) {
      JsonElement s = m.getValue();
      if (!s.isJsonPrimitive() || !s.getAsJsonPrimitive().isString()) {
        throw new InvalidFormatException(label + ": __metadata__ value of '" + m.getKey() + "' must be a string, got "
            + StrictJson.kind(s));
      }
      meta.put(m.getKey(), s.getAsString());
    }
  }

  private Entry parseEntry(String name, JsonElement v, long dataSize) throws InvalidFormatException {
    String what = label + ": tensor '" + name + "'";
    if (!v.isJsonObject()) {
      throw new InvalidFormatException(what + " must be an object, got " + StrictJson.kind(v));
    }
    JsonObject o = v.getAsJsonObject();
    String dtype = StrictJson.string(o, "dtype", what);
    Integer elemSize = KNOWN_SIZES.get(dtype);
    if (elemSize == null) {
      throw new InvalidFormatException(what + " has unknown dtype '" + dtype + "'; known: " + KNOWN_SIZES.keySet());
    }
    Shape shape = new Shape(StrictJson.intArray(StrictJson.member(o, "shape", what), what + " shape"));
    JsonArray off = StrictJson.array(o, "data_offsets", what);
    if (off.size() != 2) {
      throw new InvalidFormatException(what + ": data_offsets must hold [begin, end], got " + off);
    }
    long begin = StrictJson.nonNegativeLong(off.get(0), dataSize, what + " data_offsets begin");
    long end = StrictJson.nonNegativeLong(off.get(1), dataSize, what + " data_offsets end");
    if (end < begin) {
      throw new InvalidFormatException(what + ": data_offsets end " + end + " < begin " + begin);
    }
    long numel = 1;
    for (int d : shape.dims()) {
      numel = Math.multiplyExact(numel, (long) d);
    }
    if (numel > Integer.MAX_VALUE - 8) {
      throw new InvalidFormatException(what + " has " + numel + " elements, more than a Java array holds");
    }
    if (end - begin != numel * elemSize) {
      throw new InvalidFormatException(what + ": shape " + shape + " of " + dtype + " needs " + numel * elemSize
          + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
    }
    for (String k : o.keySet()) {
      if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
        throw new InvalidFormatException(what + " has unexpected field '" + k + "'");
      }
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private void checkOverlaps(java.util.Collection<Entry> all, long dataSize) throws InvalidFormatException {
    List<Entry> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long covered = 0;
    Entry prev = null;
    for (Entry en : sorted) {
      if (en.begin() == en.end()) {
        continue;
      }
      if (prev != null && en.begin() < prev.end()) {
        throw new InvalidFormatException(label + ": tensors '" + prev.name() + "' [" + prev.begin() + ", " + prev.end()
            + ") and '" + en.name() + "' [" + en.begin() + ", " + en.end() + ") overlap");
      }
      covered += en.end() - en.begin();
      prev = en;
    }
    if (covered != dataSize) {
      LOG.warn("{}: tensors cover {} of {} data bytes (holes or trailing bytes)", label, covered, dataSize);
    }
  }
}
