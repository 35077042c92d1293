package org.prunekit.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Identity;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Lif;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Mul;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.RmsNorm;
import org.prunekit.core.graph.op.TimeEncode;
import org.prunekit.core.graph.op.TimeMean;
import org.prunekit.core.tensor.Tensor;

class ModelFormatTest {
  @TempDir Path tmp;

  /** A graph holding every op type, with special float values and masks. */
  static Graph everyOp() {
    GraphBuilder b = GraphBuilder.create(3).input("image", 3, 16, 16).input("tokens", 6).input("events", 2, 5);
    b.node("c1", new Conv(2, 3, 8, new int[] {3, 3}, new int[] {2, 2}, Padding.same(2), new int[] {1, 1}, 1, true), "image");
    b.node("c2", new Conv(2, 8, 8, new int[] {3, 3}, new int[] {1, 1},
        new Padding(Padding.Mode.EXPLICIT, new int[] {0, 1}, new int[] {2, 1}), new int[] {1, 1}, 2, false), "c1");
    b.node("bn", new BatchNorm(8, 1e-3f, 0.01f), "c2").node("relu", Activation.of(Activation.Kind.RELU), "bn");
    b.node("res", new Add(), "c1", "relu");
    b.node("to5d", new Reshape(new int[] {8, 2, 4, 8}), "res").node("c3d", Conv.simple(3, 8, 4, 1, 0), "to5d");
    b.node("to3d", new Reshape(new int[] {4, -1}), "c3d").node("c1d", Conv.simple(1, 4, 4, 3, 1), "to3d");
    b.node("to4d", new Reshape(new int[] {4, 8, 8}), "c1d");
    b.node("maxp", new Pool(Pool.Kind.MAX, 2, new int[] {3, 3}, new int[] {2, 2}, Padding.symmetric(2, 1), true), "to4d");
    b.node("avgp", new Pool(Pool.Kind.AVG, 2, new int[] {2, 2}, new int[] {1, 1}, Padding.valid(2), false), "maxp");
    b.node("sig", Activation.of(Activation.Kind.SIGMOID), "avgp").node("cat", new Concat(1), "avgp", "sig");
    b.node("gp", new GlobalPool(Pool.Kind.MAX, true), "cat").node("flat", new Flatten(1), "gp");
    b.node("fc", new Linear(8, 5, true), "flat").node("probs", new Activation(Activation.Kind.SOFTMAX, 1), "fc").output();
    b.node("emb", new Embedding(20, 16), "tokens");
    b.node("attn", new Attention(16, 4, 2, 4, true, 10000f, true), "emb");
    b.node("ln", new LayerNorm(16, 1e-5f, true), "attn").node("rms", new RmsNorm(16, 1e-6f), "ln");
    b.node("gelu", Activation.of(Activation.Kind.GELU), "rms").node("silu", Activation.of(Activation.Kind.SILU), "gelu");
    b.node("tanh", Activation.of(Activation.Kind.TANH), "silu").node("drop", new Dropout(0.1f), "tanh");
    b.node("id", new Identity(), "drop").node("gate", new Mul(), "id", "gelu");
    b.node("head", new Linear(16, 7, false), "gate").output();
    b.node("unfold", new TimeEncode(2, TimeEncode.Mode.UNFOLD), "events");
    b.node("lif", new Lif(2, 0.25f, 0.75f, Lif.Reset.ZERO, 5f), "unfold").node("rate", new TimeMean(2), "lif");
    b.node("repeat", new TimeEncode(3, TimeEncode.Mode.REPEAT), "rate").node("lif3", Lif.of(3, 1f), "repeat");
    b.node("rate3", new TimeMean(3), "lif3").output();
    Graph g = b.build();
    SplittableRandom r = new SplittableRandom(11);
    for (Parameter p : g.parameters()) {
      float[] v = p.value().data();
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
    }
    float[] w = g.parameter("c1.weight").value().data();
    w[0] = -0f;
    w[1] = Float.intBitsToFloat(0x7fc01234); // NaN with a payload
    w[2] = Float.MIN_VALUE;
    w[3] = Float.NEGATIVE_INFINITY;
    for (String m : new String[] {"c1.weight", "attn.q_weight", "fc.weight", "bn.gamma"}) {
      Parameter p = g.parameter(m);
      float[] mask = new float[(int) p.numel()];
      for (int i = 0; i < mask.length; i++) {
        mask[i] = r.nextBoolean() ? 1f : 0f;
      }
      p.setMask(new Tensor(p.shape(), mask));
    }
    return g;
  }

  static Provenance provenance() {
    return Provenance.builder().setCriterion("wanda").setSeed(-42L).optSetting("sparsity", "0.5")
        .optSetting("pattern", "2:4").optCalibration(128, new CalibrationHash().update(new float[] {1, 2}).hex())
        .optCreatedAt(Instant.parse("2026-01-02T03:04:05.123456789Z")).build();
  }

  @Test
  void everyOpTypeRoundTripsBitIdentically() throws IOException {
    Graph g = everyOp();
    Set<Class<?>> covered = new HashSet<>();
    g.nodes().forEach(n -> covered.add(n.op().getClass()));
    assertEquals(Set.of(Op.class.getPermittedSubclasses()), covered, "the test graph holds every op type");
    Path f = tmp.resolve("m.pkm");
    Provenance prov = provenance();
    ModelFormat.save(g, prov, f);
    SavedModel loaded = ModelFormat.load(f);
    Graph h = loaded.graph();
    assertEquals(prov, loaded.provenance());
    assertEquals(g.inputs(), h.inputs());
    assertEquals(g.outputs(), h.outputs());
    assertEquals(g.nodes().size(), h.nodes().size());
    for (int i = 0; i < g.nodes().size(); i++) {
      Node a = g.nodes().get(i);
      Node c = h.nodes().get(i);
      assertEquals(a.name(), c.name());
      assertEquals(a.op(), c.op(), a.name());
      assertEquals(a.inputs(), c.inputs());
      for (Parameter p : a.params().values()) {
        Parameter q = c.param(p.name());
        assertTrue(p.value().bitEquals(q.value()), p.qualifiedName());
        assertEquals(p.hasMask(), q.hasMask(), p.qualifiedName());
        if (p.hasMask()) {
          assertTrue(p.mask().bitEquals(q.mask()), p.qualifiedName());
        }
      }
    }
    assertEquals(0x7fc01234, Float.floatToRawIntBits(h.parameter("c1.weight").value().data()[1]));
    Conv c2 = (Conv) h.node("c2").op();
    assertArrayEquals(new int[] {0, 1}, c2.padding().begin());
    assertArrayEquals(new int[] {2, 1}, c2.padding().end());
    assertEquals(Padding.Mode.SAME_UPPER, ((Conv) h.node("c1").op()).padding().mode());
    assertArrayEquals(new int[] {4, -1}, ((Reshape) h.node("to3d").op()).target());
    assertEquals(1e-6f, ((RmsNorm) h.node("rms").op()).epsilon());
    assertEquals(new Lif(2, 0.25f, 0.75f, Lif.Reset.ZERO, 5f), h.node("lif").op());
    assertEquals(TimeEncode.Mode.UNFOLD, ((TimeEncode) h.node("unfold").op()).mode());
    assertArrayEquals(ModelFormat.toBytes(g, prov), Files.readAllBytes(f), "deterministic");
    assertArrayEquals(ModelFormat.toBytes(h, loaded.provenance()), Files.readAllBytes(f), "re-save is identical");
  }

  @Test
  void savesWithoutProvenance() throws IOException {
    Graph g = GraphBuilder.create(1).input("x", 3).linear("fc", 2).build();
    Path f = tmp.resolve("p.pkm");
    ModelFormat.save(g, null, f);
    SavedModel m = ModelFormat.load(f);
    assertNull(m.provenance());
    assertTrue(m.graph().parameter("fc.weight").value().bitEquals(g.parameter("fc.weight").value()));
    assertFalse(m.graph().parameter("fc.weight").hasMask());
  }

  // ---- corruption ----

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> parts = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        parts.put(e.getName(), in.readAllBytes());
      }
    }
    return parts;
  }

  /** Changes parts, then re-writes the manifest's checksums so only the intended fault remains. */
  private Path tamper(Consumer<Map<String, byte[]>> change, boolean fixManifest) throws IOException {
    Map<String, byte[]> parts = unzip(ModelFormat.toBytes(everyOp(), provenance()));
    change.accept(parts);
    if (fixManifest) {
      JsonObject man = StrictJson.parseObject(new String(parts.get("manifest.json"), StandardCharsets.UTF_8), "m");
      JsonObject list = man.getAsJsonObject("parts");
      for (String k : list.keySet()) {
        if (parts.containsKey(k)) {
          list.getAsJsonObject(k).addProperty("bytes", parts.get(k).length);
          list.getAsJsonObject(k).addProperty("sha256", ModelFormat.sha256(parts.get(k)));
        }
      }
      parts.put("manifest.json", man.toString().getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : parts.entrySet()) {
        ZipEntry ze = new ZipEntry(e.getKey());
        ze.setMethod(ZipEntry.STORED);
        ze.setSize(e.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        ze.setCrc(crc.getValue());
        z.putNextEntry(ze);
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    Path f = Files.createTempFile(tmp, "t", ".pkm");
    Files.write(f, out.toByteArray());
    return f;
  }

  private static String refused(Path f) {
    return assertThrows(InvalidFormatException.class, () -> ModelFormat.load(f)).getMessage();
  }

  private static void editArch(Map<String, byte[]> parts, String from, String to) {
    String a = new String(parts.get("architecture.json"), StandardCharsets.UTF_8);
    assertTrue(a.contains(from), from);
    parts.put("architecture.json", a.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesChecksumMismatchAndTruncation() throws IOException {
    byte[] good = ModelFormat.toBytes(everyOp(), provenance());
    byte[] weights = unzip(good).get("weights.safetensors");
    int at = indexOf(good, Arrays.copyOfRange(weights, weights.length - 64, weights.length));
    assertTrue(at > 0);
    byte[] flipped = good.clone();
    flipped[at + 10] ^= 0x01;
    Path f = tmp.resolve("flip.pkm");
    Files.write(f, flipped);
    String msg = refused(f);
    assertTrue(msg.contains("weights.safetensors") && msg.contains("SHA-256"), msg);
    Path cut = tmp.resolve("cut.pkm");
    Files.write(cut, Arrays.copyOf(good, good.length / 2));
    assertTrue(refused(cut).contains("truncated"));
    Path missingManifestPart = tamper(p -> p.remove("masks.safetensors"), false);
    assertTrue(refused(missingManifestPart).contains("missing [masks.safetensors]"));
  }

  @Test
  void refusesMalformedAndMismatchedContent() throws IOException {
    String msg = refused(tamper(p -> p.put("architecture.json", "{\"formatVersion\": 1,".getBytes()), true));
    assertTrue(msg.contains("architecture.json") && msg.contains("not valid JSON"), msg);
    msg = refused(tamper(p -> editArch(p, "\"type\": \"batchnorm\"", "\"type\": \"batchnorm2\""), true));
    assertTrue(msg.contains("node 'bn'") && msg.contains("batchnorm2"), msg);
    msg = refused(tamper(p -> editArch(p, "\"outFeatures\": 5", "\"outFeatures\": 6"), true));
    assertTrue(msg.contains("'fc.weight'") && msg.contains("[6, 8]") && msg.contains("[5, 8]"), msg);
    msg = refused(tamper(p -> editArch(p, "\"groups\": 2,", "\"groups\": 2, \"extra\": 1,"), true));
    assertTrue(msg.contains("node 'c2'") && msg.contains("unknown field 'extra'"), msg);
    msg = refused(tamper(p -> editArch(p, "\"epsilon\": 0.001,", ""), true));
    assertTrue(msg.contains("node 'bn'") && msg.contains("missing field 'epsilon'"), msg);
    msg = refused(tamper(p -> editArch(p, "\"numKvHeads\": 2", "\"numKvHeads\": 3"), true));
    assertTrue(msg.contains("node 'attn'") && msg.contains("kv heads 3"), msg);
    msg = refused(tamper(p -> editArch(p, "\"formatVersion\": 1", "\"formatVersion\": 2"), true));
    assertTrue(msg.contains("unknown architecture format version 2"), msg);
    msg = refused(tamper(p -> p.put("manifest.json", new String(p.get("manifest.json"), StandardCharsets.UTF_8)
        .replace("\"formatVersion\": 1", "\"formatVersion\": 9").getBytes(StandardCharsets.UTF_8)), false));
    assertTrue(msg.contains("unknown format version 9"), msg);
    msg = refused(tamper(p -> p.put("masks.safetensors", new SafetensorsWriter()
        .addU8("nope.weight", Tensor.of(new float[] {1}, 1)).toBytes()), true));
    assertTrue(msg.contains("'nope.weight'"), msg);
    msg = refused(tamper(p -> p.put("masks.safetensors", new SafetensorsWriter()
        .addU8("fc.bias", Tensor.of(new float[] {1, 0, 2, 1, 1}, 5)).toBytes()), true));
    assertTrue(msg.contains("fc.bias") && msg.contains("2.0"), msg);
    msg = refused(tamper(p -> p.put("provenance.json", "{\"criterion\": \"x\"}".getBytes()), true));
    assertTrue(msg.contains("provenance.json"), msg);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
