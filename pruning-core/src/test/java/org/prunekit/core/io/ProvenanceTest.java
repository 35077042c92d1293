package org.prunekit.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.Tensor;

class ProvenanceTest {
  @Test
  void calibrationHashIsSha256OfLengthPrefixedLittleEndianFloats() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(8 + 8 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(2).putFloat(1.5f).putFloat(-0f).putLong(1).putFloat(3f);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    CalibrationHash h = new CalibrationHash().update(new float[] {1.5f, -0f}).update(Tensor.of(new float[] {3f}, 1));
    assertEquals(expected, h.hex());
    assertEquals(2, h.count());
    assertEquals(expected, h.hex(), "hex() does not consume the digest");
    String split = new CalibrationHash().update(new float[] {1.5f}).update(new float[] {-0f, 3f}).hex();
    assertNotEquals(expected, split);
    float[] big = new float[5000];
    big[4999] = 1;
    assertNotEquals(new CalibrationHash().update(big).hex(), new CalibrationHash().update(new float[5000]).hex());
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", new CalibrationHash().hex());
  }

  @Test
  void builderRequiresCriterionAndSeedAndDetectsVersions() {
    assertThrows(IllegalStateException.class, () -> Provenance.builder().setSeed(1).build());
    assertThrows(IllegalStateException.class, () -> Provenance.builder().setCriterion("magnitude").build());
    Provenance p = Provenance.builder().setCriterion("magnitude").setSeed(7).optSettings(Map.of("sparsity", "0.9")).build();
    assertEquals("0.9", p.settings().get("sparsity"));
    assertNull(p.calibrationSamples());
    assertNull(p.calibrationSha256());
    assertEquals("0.36.0", p.djlVersion());
    assertEquals("1.0.0-M2.1", p.nd4jVersion());
    assertEquals(System.getProperty("java.version"), p.javaVersion());
    assertTrue(p.prunekitVersion().matches("\\d+\\.\\d+\\.\\d+.*"), p.prunekitVersion());
    assertTrue(!p.createdAt().isAfter(Instant.now()));
    assertThrows(IllegalArgumentException.class,
        () -> Provenance.builder().setCriterion("m").setSeed(1).optCalibration(3, "ABC").build());
    assertThrows(UnsupportedOperationException.class, () -> p.settings().put("x", "y"));
  }

  @Test
  void jsonRoundTrip() throws Exception {
    Provenance p = ModelFormatTest.provenance();
    String json = ProvenanceJson.toJson(p).toString();
    assertTrue(json.contains("\"seed\":\"-42\""), json);
    assertEquals(p, ProvenanceJson.parse(StrictJson.parseObject(json, "p"), "p"));
    String bad = json.replace("\"seed\":\"-42\"", "\"seed\":\"x\"");
    assertThrows(InvalidFormatException.class, () -> ProvenanceJson.parse(StrictJson.parseObject(bad, "p"), "p"));
  }
}
