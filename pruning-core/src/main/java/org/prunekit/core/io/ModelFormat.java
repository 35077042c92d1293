package org.prunekit.core.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;

/**
 * PruneKit's own model format: one file, a zip archive of stored (uncompressed) parts, readable
 * with any unzip tool.
 *
 * <ul>
 *   <li>{@code manifest.json}: {@code {"format": "prunekit-model", "formatVersion": 1, "parts":
 *       {name: {"bytes": n, "sha256": hex}}}} for every other part;
 *   <li>{@code architecture.json}: inputs, nodes (op type and fields, input names) and outputs,
 *       see {@link ArchitectureJson};
 *   <li>{@code weights.safetensors}: every parameter value as F32, named {@code node.param};
 *   <li>{@code masks.safetensors}: the mask of every masked parameter as U8 (1 = keep);
 *   <li>{@code provenance.json}: the {@link Provenance} record (absent when saved without one).
 * </ul>
 *
 * <p>{@link #load} verifies everything before it returns: the archive is readable (a truncated
 * file fails here), the manifest's format and version are known, the parts are exactly those
 * listed, each part's size and SHA-256 match, the JSON is well-formed and strict, every op type is
 * known and its fields valid, the weights cover exactly the graph's parameters with the declared
 * shapes, and masks name real parameters and hold only 0/1. The graph is built only from fully
 * validated parts, so a corrupted or mismatched file never yields a half-loaded model. Values and
 * masks round-trip bit for bit. {@link #save} writes atomically and deterministically (fixed entry
 * times), so equal models with equal provenance give equal files.
 */
public final class ModelFormat {
  /** The manifest's format name. */
  public static final String FORMAT = "prunekit-model";
  /** The format version written and read. */
  public static final int FORMAT_VERSION = 1;

  static final String MANIFEST = "manifest.json";
  static final String ARCHITECTURE = "architecture.json";
  static final String WEIGHTS = "weights.safetensors";
  static final String MASKS = "masks.safetensors";
  static final String PROVENANCE = "provenance.json";
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);
  private static final long MAX_PART_BYTES = Integer.MAX_VALUE - 8;

  private ModelFormat() {}

  /**
   * Saves a graph with its values, masks and provenance.
   *
   * @param graph the model
   * @param provenance how it was produced, or {@code null}
   * @param file the target file (replaced atomically)
   */
  public static void save(Graph graph, Provenance provenance, Path file) throws IOException {
    AtomicFiles.write(file, toBytes(graph, provenance));
  }

  /** The bytes {@link #save} writes. */
  public static byte[] toBytes(Graph graph, Provenance provenance) {
    List<ArchitectureJson.NodeSpec> specs = new ArrayList<>();
    SafetensorsWriter weights = new SafetensorsWriter().putMetadata("format", FORMAT);
    SafetensorsWriter masks = new SafetensorsWriter().putMetadata("format", FORMAT);
    for (Node n : graph.nodes()) {
      specs.add(new ArchitectureJson.NodeSpec(n.name(), n.op(), n.inputs()));
      for (Parameter p : n.params().values()) {
        weights.addF32(p.qualifiedName(), p.value());
        if (p.hasMask()) {
          masks.addU8(p.qualifiedName(), p.mask());
        }
      }
    }
    Map<String, byte[]> parts = new LinkedHashMap<>();
    parts.put(ARCHITECTURE, json(ArchitectureJson.toJson(graph.inputs(), specs, graph.outputs())));
    parts.put(WEIGHTS, weights.toBytes());
    parts.put(MASKS, masks.toBytes());
    if (provenance != null) {
      parts.put(PROVENANCE, json(ProvenanceJson.toJson(provenance)));
    }
    JsonObject manifest = new JsonObject();
    manifest.addProperty("format", FORMAT);
    manifest.addProperty("formatVersion", FORMAT_VERSION);
    JsonObject list = new JsonObject();
    parts.forEach((name, bytes) -> {
      JsonObject p = new JsonObject();
      p.addProperty("bytes", bytes.length);
      p.addProperty("sha256", sha256(bytes));
      list.add(name, p);
    });
    manifest.add("parts", list);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      put(zip, MANIFEST, json(manifest));
      for (Map.Entry<String, byte[]> e : parts.entrySet()) {
        put(zip, e.getKey(), e.getValue());
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Loads a model saved by {@link #save}.
   *
   * @throws InvalidFormatException naming the file, part and field at fault if the file is
   *     truncated, corrupted (checksum), malformed, of an unknown version, or inconsistent
   */
  public static SavedModel load(Path file) throws IOException {
    Map<String, byte[]> parts = readVerified(file);
    String label = file.toString();
    ArchitectureJson.Architecture arch = ArchitectureJson.parse(
        parseJson(parts.get(ARCHITECTURE), label + "!" + ARCHITECTURE), label + "!" + ARCHITECTURE);
    TensorFile weights = SafetensorsReader.readAll(parts.get(WEIGHTS), label + "!" + WEIGHTS);
    TensorFile masks = SafetensorsReader.readAll(parts.get(MASKS), label + "!" + MASKS);
    Provenance provenance = parts.containsKey(PROVENANCE)
        ? ProvenanceJson.parse(parseJson(parts.get(PROVENANCE), label + "!" + PROVENANCE), label + "!" + PROVENANCE)
        : null;
    return new SavedModel(build(arch, weights, masks, label), provenance);
  }

  private static Graph build(ArchitectureJson.Architecture arch, TensorFile weights, TensorFile masks, String label)
      throws InvalidFormatException {
    Set<String> used = new HashSet<>();
    List<Node> nodes = new ArrayList<>();
    try {
      for (ArchitectureJson.NodeSpec n : arch.nodes()) {
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (ParamSpec s : n.op().parameterSpecs()) {
          String q = n.name() + "." + s.name();
          if (!weights.names().contains(q)) {
            throw new InvalidFormatException(label + ": weights lack parameter '" + q + "' " + s.shape());
          }
          Tensor t = weights.get(q);
          if (!t.shape().equals(s.shape())) {
            throw new InvalidFormatException(label + ": parameter '" + q + "' has shape " + s.shape()
                + " in the architecture but " + t.shape() + " in the weights");
          }
          if (!"F32".equals(weights.dtypes().get(q))) {
            throw new InvalidFormatException(label + ": parameter '" + q + "' is stored as " + weights.dtypes().get(q)
                + ", expected F32");
          }
          values.put(s.name(), t);
          used.add(q);
        }
        nodes.add(new Node(n.name(), n.op(), n.inputs(), values));
      }
      for (String w : weights.names()) {
        if (!used.contains(w)) {
          throw new InvalidFormatException(label + ": weights hold '" + w + "', which is no parameter of the architecture");
        }
      }
      Graph g = new Graph(arch.inputs(), nodes, arch.outputs());
      for (String m : masks.names()) {
        if (!used.contains(m)) {
          throw new InvalidFormatException(label + ": masks hold '" + m + "', which is no parameter of the architecture");
        }
        if (!"U8".equals(masks.dtypes().get(m))) {
          throw new InvalidFormatException(label + ": mask '" + m + "' is stored as " + masks.dtypes().get(m)
              + ", expected U8");
        }
        g.parameter(m).setMask(masks.get(m));
      }
      return g;
    } catch (IllegalArgumentException e) {
      throw new InvalidFormatException(label + ": inconsistent model: " + e.getMessage(), e);
    }
  }

  private static Map<String, byte[]> readVerified(Path file) throws IOException {
    String label = file.toString();
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new InvalidFormatException(label + ": not a PruneKit model (unreadable or truncated archive: "
          + e.getMessage() + ")", e);
    }
    try (zip) {
      Set<String> present = new HashSet<>();
      Enumeration<? extends ZipEntry> en = zip.entries();
      while (en.hasMoreElements()) {
        String name = en.nextElement().getName();
        if (!present.add(name)) {
          throw new InvalidFormatException(label + ": duplicate part '" + name + "'");
        }
      }
      if (!present.contains(MANIFEST)) {
        throw new InvalidFormatException(label + ": no " + MANIFEST + " (not a PruneKit model)");
      }
      JsonObject manifest = parseJson(readPart(zip, label, MANIFEST, 16 << 20), label + "!" + MANIFEST);
      String what = label + "!" + MANIFEST;
      String format = StrictJson.string(manifest, "format", what);
      if (!format.equals(FORMAT)) {
        throw new InvalidFormatException(what + ": format is '" + format + "', expected '" + FORMAT + "'");
      }
      long version = StrictJson.nonNegativeLong(StrictJson.member(manifest, "formatVersion", what), Integer.MAX_VALUE,
          what + " formatVersion");
      if (version != FORMAT_VERSION) {
        throw new InvalidFormatException(what + ": unknown format version " + version + " (this PruneKit reads version "
            + FORMAT_VERSION + ")");
      }
      JsonObject list = StrictJson.object(manifest, "parts", what);
      Set<String> expected = new HashSet<>(list.keySet());
      expected.add(MANIFEST);
      for (String required : List.of(ARCHITECTURE, WEIGHTS, MASKS)) {
        if (!list.has(required)) {
          throw new InvalidFormatException(what + ": lists no part '" + required + "'");
        }
      }
      if (!expected.equals(present)) {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(present);
        Set<String> extra = new HashSet<>(present);
        extra.removeAll(expected);
        throw new InvalidFormatException(label + ": parts do not match the manifest (missing " + missing
            + ", unlisted " + extra + ")");
      }
      Map<String, byte[]> parts = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : list.entrySet()) {
        String pw = what + " part '" + e.getKey() + "'";
        if (!e.getValue().isJsonObject()) {
          throw new InvalidFormatException(pw + " must be an object");
        }
        JsonObject p = e.getValue().getAsJsonObject();
        long bytes = StrictJson.nonNegativeLong(StrictJson.member(p, "bytes", pw), MAX_PART_BYTES, pw + " bytes");
        String sha = StrictJson.string(p, "sha256", pw);
        byte[] content = readPart(zip, label, e.getKey(), bytes);
        if (content.length != bytes) {
          throw new InvalidFormatException(label + ": part '" + e.getKey() + "' has " + content.length
              + " bytes, manifest says " + bytes);
        }
        String actual = sha256(content);
        if (!actual.equals(sha)) {
          throw new InvalidFormatException(label + ": part '" + e.getKey() + "' is corrupted: SHA-256 " + actual
              + " does not match the manifest's " + sha);
        }
        parts.put(e.getKey(), content);
      }
      return parts;
    }
  }

  private static byte[] readPart(ZipFile zip, String label, String name, long expected) throws IOException {
    ZipEntry z = zip.getEntry(name);
    try (InputStream in = zip.getInputStream(z)) {
      return in.readNBytes((int) Math.min(expected + 1, MAX_PART_BYTES));
    } catch (ZipException | java.io.EOFException e) {
      throw new InvalidFormatException(label + ": part '" + name + "' is unreadable: " + e.getMessage(), e);
    }
  }

  private static JsonObject parseJson(byte[] bytes, String what) throws InvalidFormatException {
    return StrictJson.parseObject(StrictJson.utf8(bytes, what), what);
  }

  private static byte[] json(JsonObject o) {
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTimeLocal(ENTRY_TIME);
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
