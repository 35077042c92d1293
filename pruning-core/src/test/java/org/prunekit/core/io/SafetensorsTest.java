package org.prunekit.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

class SafetensorsTest {
  @TempDir Path tmp;

  /** Builds a safetensors file by hand from a header string and data bytes. */
  static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return b.array();
  }

  static byte[] le(int bytesPer, long... v) {
    ByteBuffer b = ByteBuffer.allocate(bytesPer * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      switch (bytesPer) {
        case 1 -> b.put((byte) x);
        case 2 -> b.putShort((short) x);
        case 4 -> b.putInt((int) x);
        default -> b.putLong(x);
      }
    }
    return b.array();
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  @Test
  void readsEveryDtypeWithDocumentedConversions() throws IOException {
    byte[] f32 = le(4, Float.floatToIntBits(1.5f), Float.floatToIntBits(-2f));
    byte[] f16 = le(2, 0x3C00, 0xC000, 0x0001, 0x7C00); // 1, -2, smallest subnormal, +inf
    byte[] bf16 = le(2, 0x3FC0, 0xBF80); // 1.5, -1
    ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(1e300);
    byte[] i64 = le(8, -3, 16777217L); // 2^24+1 rounds to 2^24
    byte[] i32 = le(4, 7, -8);
    byte[] u8 = le(1, 0, 255);
    byte[] bool = le(1, 0, 2);
    String header = "{\"__metadata__\":{\"k\":\"v\"},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[8,16]},"
        + "\"c\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[16,20]},"
        + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[20,36]},"
        + "\"e\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[36,52]},"
        + "\"f\":{\"dtype\":\"I32\",\"shape\":[1,2],\"data_offsets\":[52,60]},"
        + "\"g\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[60,62]},"
        + "\"h\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[62,64]}}";
    TensorFile t = SafetensorsReader.readAll(file(header, cat(f32, f16, bf16, d.array(), i64, i32, u8, bool)), "mem");
    assertEquals(Map.of("k", "v"), t.metadata());
    assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h"), List.copyOf(t.names()));
    assertArrayEquals(new float[] {1.5f, -2f}, t.get("a").data());
    assertEquals(new Shape(2, 2), t.get("b").shape());
    assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY}, t.get("b").data());
    assertArrayEquals(new float[] {1.5f, -1f}, t.get("c").data());
    assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, t.get("d").data());
    assertArrayEquals(new float[] {-3f, 16777216f}, t.get("e").data());
    assertArrayEquals(new float[] {7f, -8f}, t.get("f").data());
    assertArrayEquals(new float[] {0f, 255f}, t.get("g").data());
    assertArrayEquals(new float[] {0f, 1f}, t.get("h").data());
    assertEquals("BF16", t.dtypes().get("c"));
  }

  @Test
  void roundTripIsBitExact() throws IOException {
    Tensor w = Tensor.of(new float[] {0f, -0f, Float.NaN, Float.MIN_VALUE, 3.25f, -1e30f}, 2, 3);
    Tensor m = Tensor.of(new float[] {1, 0, 1, 1, 0, 1}, 2, 3);
    Tensor scalar = new Tensor(new Shape(), new float[] {42f});
    Path p = tmp.resolve("x.safetensors");
    new SafetensorsWriter().putMetadata("who", "test").addF32("w", w).addU8("m", m).addF32("s", scalar).write(p);
    byte[] raw = Files.readAllBytes(p);
    long n = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, (8 + n) % 8, "data section aligned to 8");
    try (SafetensorsReader r = SafetensorsReader.open(p)) {
      assertEquals("F32", r.entry("w").dtype());
      assertEquals("U8", r.entry("m").dtype());
      assertTrue(r.read("w").bitEquals(w));
      assertTrue(r.read("m").bitEquals(m));
      assertTrue(r.read("s").bitEquals(scalar));
      assertEquals(Map.of("who", "test"), r.metadata());
    }
    assertArrayEquals(raw, new SafetensorsWriter().putMetadata("who", "test").addF32("w", w).addU8("m", m)
        .addF32("s", scalar).toBytes(), "deterministic output");
  }

  @Test
  void writerRejectsBadInput() {
    SafetensorsWriter w = new SafetensorsWriter().addF32("a", Tensor.of(new float[] {1}, 1));
    assertThrows(IllegalArgumentException.class, () -> w.addF32("a", Tensor.of(new float[] {1}, 1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> w.addU8("mask", Tensor.of(new float[] {1, 0.5f}, 2)));
    assertTrue(e.getMessage().contains("mask") && e.getMessage().contains("index 1"), e.getMessage());
  }

  private static String err(byte[] content) {
    return assertThrows(InvalidFormatException.class, () -> SafetensorsReader.open(content, "bad")).getMessage();
  }

  @Test
  void rejectsCorruptedHeaders() {
    byte[] d8 = new byte[8];
    String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    assertTrue(err(new byte[5]).contains("too short"));
    byte[] hugeLen = file("{" + ok + "}", d8);
    ByteBuffer.wrap(hugeLen).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
    assertTrue(err(hugeLen).contains("header length"));
    byte[] negLen = file("{" + ok + "}", d8);
    ByteBuffer.wrap(negLen).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
    assertTrue(err(negLen).contains("header length"));
    assertTrue(err(file("{" + ok, d8)).contains("not valid JSON"));
    assertTrue(err(file("{" + ok + ",\"a\":{}}", d8)).contains("duplicate key 'a'"));
    String msg = err(file("{\"a\":{\"dtype\":\"F17\",\"shape\":[2],\"data_offsets\":[0,8]}}", d8));
    assertTrue(msg.contains("'a'") && msg.contains("F17"), msg);
    msg = err(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", d8));
    assertTrue(msg.contains("'a'") && msg.contains("needs 12 bytes"), msg);
    msg = err(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", d8));
    assertTrue(msg.contains("'a'") && msg.contains("out of range"), msg);
    msg = err(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", d8));
    assertTrue(msg.contains("overlap") && msg.contains("'a'") && msg.contains("'b'"), msg);
    msg = err(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", d8));
    assertTrue(msg.contains("'a'"), msg);
    msg = err(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0.5,8]}}", d8));
    assertTrue(msg.contains("not an integer"), msg);
    msg = err(file("{\"__metadata__\":{\"k\":1}," + ok + "}", d8));
    assertTrue(msg.contains("__metadata__"), msg);
  }

  @Test
  void truncatedDataIsRejected() throws IOException {
    byte[] good = new SafetensorsWriter().addF32("w", Tensor.of(new float[] {1, 2, 3, 4}, 4)).toBytes();
    byte[] cut = Arrays.copyOf(good, good.length - 3);
    String msg = err(cut);
    assertTrue(msg.contains("'w'") && msg.contains("out of range"), msg);
  }

  @Test
  void knownButUnreadableDtypeNamesTensorOnRead() throws IOException {
    try (SafetensorsReader r = SafetensorsReader.open(
        file("{\"q\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]), "mem")) {
      String msg = assertThrows(InvalidFormatException.class, () -> r.read("q")).getMessage();
      assertTrue(msg.contains("'q'") && msg.contains("I8"), msg);
    }
  }

  @Test
  void readsMlperfTinyResnet8() throws IOException {
    Path f = Path.of(System.getProperty("prunekit.shared.dir", "../../shared"),
        "data/models/resnet8-cifar10-mlperftiny/resnet8.safetensors");
    Assumptions.assumeTrue(Files.isRegularFile(f), "shared data absent: " + f);
    try (SafetensorsReader r = SafetensorsReader.open(f)) {
      assertEquals(48, r.names().size());
      assertEquals(new Shape(3, 3, 16, 32), r.shape("conv2d_3.kernel"));
      assertEquals(new Shape(64, 10), r.shape("dense.kernel"));
      assertTrue(r.metadata().get("source").contains("pretrainedResnet.h5"));
      long params = 0;
      for (String n : r.names()) {
        assertEquals("F32", r.entry(n).dtype());
        if (!n.contains("moving_")) {
          params += r.shape(n).size();
        }
      }
      // README: 78,666 parameters in all (Keras counts BN moving mean/variance too); the BN layers
      // have 3*16 + 2*32 + 2*64 = 240 channels, so the two moving statistics are 480 of them.
      assertEquals(78_666 - 2 * (3 * 16 + 2 * 32 + 2 * 64), params);
      // First bytes of the data section, as float32: batch_normalization.beta[0]
      Tensor beta = r.read("batch_normalization.beta");
      ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
      long n = raw.getLong(0);
      assertEquals(raw.getFloat((int) (8 + n)), beta.data()[0]);
      assertEquals(Float.intBitsToFloat(raw.getInt((int) (8 + n + 4 * 15))), beta.data()[15]);
      assertEquals(-1, r.read("conv2d_7.kernel").firstNonFinite());
    }
  }
}
