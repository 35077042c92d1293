package org.prunekit.core.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.OpTypes;

/**
 * The architecture part of the PruneKit format: graph inputs, nodes and outputs as JSON.
 *
 * <pre>{@code
 * {"formatVersion": 1,
 *  "inputs": [{"name": "image", "shape": [3, 32, 32]}],
 *  "nodes": [{"name": "conv1", "inputs": ["image"],
 *             "op": {"type": "conv", "spatialDims": 2, "inChannels": 3, ...}}],
 *  "outputs": ["fc"]}
 * }</pre>
 *
 * <p>An op is its record's components serialised by Gson (nested records such as {@code Padding}
 * and {@code int[]} fields included, enums by name, floats written with {@link Float#toString}
 * and read back exactly) plus a {@code "type"} discriminator from {@link OpTypes}. Reading is
 * strict: an op must carry exactly its record's components (recursively for nested records), and
 * the record's canonical constructor validates the values.
 */
public final class ArchitectureJson {
  /** The architecture format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /**
   * The parsed structure (parameters are not part of the architecture).
   *
   * @param inputs the graph inputs
   * @param nodes the nodes in topological order
   * @param outputs the output node names
   */
  public record Architecture(List<InputSpec> inputs, List<NodeSpec> nodes, List<String> outputs) {}

  /**
   * One node without its parameter values.
   *
   * @param name the node name
   * @param op the op
   * @param inputs the input names
   */
  public record NodeSpec(String name, Op op, List<String> inputs) {}

  static final Gson GSON = new GsonBuilder()
      .registerTypeAdapter(float.class, new ExactFloat())
      .registerTypeAdapter(Float.class, new ExactFloat())
      .disableHtmlEscaping()
      .create();

  private ArchitectureJson() {}

  /** The JSON object of an op, {@code "type"} first. */
  public static JsonObject opToJson(Op op) {
    JsonObject o = new JsonObject();
    o.addProperty("type", op.type());
    for (Map.Entry<String, JsonElement> e : GSON.toJsonTree(op).getAsJsonObject().entrySet()) {
      if (e.getKey().equals("type")) {
        throw new IllegalStateException(op.getClass().getSimpleName() + " has a component named 'type'");
      }
      o.add(e.getKey(), e.getValue());
    }
    return o;
  }

  /**
   * The op described by {@code o}.
   *
   * @throws InvalidFormatException naming {@code where} for an unknown type, missing or extra
   *     fields, or values the op's constructor rejects
   */
  public static Op opFromJson(JsonObject o, String where) throws InvalidFormatException {
    String type = StrictJson.string(o, "type", where);
    Class<? extends Op> cls;
    try {
      cls = OpTypes.classOf(type);
    } catch (IllegalArgumentException e) {
      throw new InvalidFormatException(where + ": " + e.getMessage(), e);
    }
    JsonObject fields = o.deepCopy();
    fields.remove("type");
    checkFields(fields, cls, where + " (" + type + ")");
    try {
      return GSON.fromJson(fields, cls);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new InvalidFormatException(where + ": invalid " + type + " op " + fields + ": " + root.getMessage(), e);
    }
  }

  private static void checkFields(JsonObject o, Class<?> record, String where) throws InvalidFormatException {
    Set<String> want = new HashSet<>();
    for (RecordComponent c : record.getRecordComponents()) {
      want.add(c.getName());
      JsonElement v = o.get(c.getName());
      if (v == null || v.isJsonNull()) {
        throw new InvalidFormatException(where + ": missing field '" + c.getName() + "'");
      }
      if (c.getType().isRecord()) {
        if (!v.isJsonObject()) {
          throw new InvalidFormatException(where + ": field '" + c.getName() + "' must be an object");
        }
        checkFields(v.getAsJsonObject(), c.getType(), where + "." + c.getName());
      }
    }
    for (String k : o.keySet()) {
      if (!want.contains(k)) {
        throw new InvalidFormatException(where + ": unknown field '" + k + "'");
      }
    }
  }

  /** Serialises the structure of a graph (no parameter values). */
  public static JsonObject toJson(List<InputSpec> inputs, List<NodeSpec> nodes, List<String> outputs) {
    JsonObject root = new JsonObject();
    root.addProperty("formatVersion", FORMAT_VERSION);
    JsonArray in = new JsonArray();
    for (InputSpec s : inputs) {
      JsonObject i = new JsonObject();
      i.addProperty("name", s.name());
      i.add("shape", ints(s.sampleShape().dims()));
      in.add(i);
    }
    root.add("inputs", in);
    JsonArray ns = new JsonArray();
    for (NodeSpec n : nodes) {
      JsonObject j = new JsonObject();
      j.addProperty("name", n.name());
      j.add("op", opToJson(n.op()));
      JsonArray ins = new JsonArray();
      n.inputs().forEach(ins::add);
      j.add("inputs", ins);
      ns.add(j);
    }
    root.add("nodes", ns);
    JsonArray out = new JsonArray();
    outputs.forEach(out::add);
    root.add("outputs", out);
    return root;
  }

  /**
   * Parses an architecture.
   *
   * @throws InvalidFormatException for an unknown format version, a malformed field or op,
   *     naming the node
   */
  public static Architecture parse(JsonObject root, String what) throws InvalidFormatException {
    long version = StrictJson.nonNegativeLong(StrictJson.member(root, "formatVersion", what), Integer.MAX_VALUE,
        what + " formatVersion");
    if (version != FORMAT_VERSION) {
      throw new InvalidFormatException(what + ": unknown architecture format version " + version
          + " (this PruneKit reads version " + FORMAT_VERSION + ")");
    }
    List<InputSpec> inputs = new ArrayList<>();
    for (JsonElement e : StrictJson.array(root, "inputs", what)) {
      JsonObject i = asObject(e, what + " input");
      String name = StrictJson.string(i, "name", what + " input");
      inputs.add(new InputSpec(name, new Shape(StrictJson.intArray(StrictJson.member(i, "shape", what),
          what + " input '" + name + "' shape"))));
    }
    List<NodeSpec> nodes = new ArrayList<>();
    JsonArray ns = StrictJson.array(root, "nodes", what);
    for (int k = 0; k < ns.size(); k++) {
      JsonObject n = asObject(ns.get(k), what + " node #" + k);
      String name = StrictJson.string(n, "name", what + " node #" + k);
      String where = what + " node '" + name + "'";
      Op op = opFromJson(StrictJson.object(n, "op", where), where);
      nodes.add(new NodeSpec(name, op, strings(StrictJson.array(n, "inputs", where), where + " inputs")));
    }
    List<String> outputs = strings(StrictJson.array(root, "outputs", what), what + " outputs");
    return new Architecture(inputs, nodes, outputs);
  }

  private static JsonObject asObject(JsonElement e, String what) throws InvalidFormatException {
    if (!e.isJsonObject()) {
      throw new InvalidFormatException(what + " must be an object, got " + StrictJson.kind(e));
    }
    return e.getAsJsonObject();
  }

  private static List<String> strings(JsonArray a, String what) throws InvalidFormatException {
    List<String> s = new ArrayList<>();
    for (JsonElement e : a) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw new InvalidFormatException(what + " must hold strings, got " + StrictJson.kind(e));
      }
      s.add(e.getAsString());
    }
    return s;
  }

  private static JsonArray ints(int[] v) {
    JsonArray a = new JsonArray();
    for (int x : v) {
      a.add(x);
    }
    return a;
  }

  /** Writes floats with {@link Float#toString} and parses them with {@link Float#parseFloat}: exact. */
  private static final class ExactFloat extends TypeAdapter<Float> {
    @Override
    public void write(JsonWriter out, Float value) throws IOException {
      if (value == null) {
        out.nullValue();
      } else if (!Float.isFinite(value)) {
        throw new IllegalArgumentException("cannot store non-finite op field value " + value);
      } else {
        out.value(value); // written with Float.toString by JsonWriter
      }
    }

    @Override
    public Float read(JsonReader in) throws IOException {
      if (in.peek() != JsonToken.NUMBER) {
        throw new IllegalStateException("expected a number at " + in.getPath() + ", got " + in.peek());
      }
      return Float.parseFloat(in.nextString());
    }
  }
}
