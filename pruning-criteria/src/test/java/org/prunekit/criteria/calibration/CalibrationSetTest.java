package org.prunekit.criteria.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prunekit.core.io.CalibrationHash;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.tensor.Tensor;

/** Seeded selection, batching and the recorded hash. */
class CalibrationSetTest {
  static final int[] TOKENS = new int[200];

  static {
    for (int i = 0; i < TOKENS.length; i++) {
      TOKENS[i] = i % 7;
    }
  }

  @Test
  void randomWindowsAreReproducibleAndHashed() {
    CalibrationSet a = CalibrationSet.randomWindows(TOKENS, 16, 5, 0);
    CalibrationSet b = CalibrationSet.randomWindows(TOKENS, 16, 5, 0);
    CalibrationSet c = CalibrationSet.randomWindows(TOKENS, 16, 5, 1);
    assertEquals(a.sha256(), b.sha256());
    assertNotEquals(a.sha256(), c.sha256());
    assertEquals(5, a.size());
    assertEquals(new org.prunekit.core.graph.Shape(16), a.sampleShape());
    // the hash is CalibrationHash over the shape, then the samples in order
    CalibrationHash h = new CalibrationHash().update(new float[] {16});
    for (int i = 0; i < 5; i++) {
      h.update(a.sample(i).data());
    }
    assertEquals(h.hex(), a.sha256());
    Tensor batch = a.batch(1, 3);
    assertEquals(new org.prunekit.core.graph.Shape(2, 16), batch.shape());
    assertArrayEquals(a.sample(2).data(), java.util.Arrays.copyOfRange(batch.data(), 16, 32));
    Provenance p = a.recordIn(Provenance.builder()).setCriterion("wanda").setSeed(0).build();
    assertEquals(5, p.calibrationSamples());
    assertEquals(a.sha256(), p.calibrationSha256());
  }

  @Test
  void orderAndShapeChangeTheHash() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 4);
    Tensor y = Tensor.of(new float[] {5, 6, 7, 8}, 4);
    String xy = CalibrationSet.of(List.of(x, y), 0, "t").sha256();
    assertNotEquals(xy, CalibrationSet.of(List.of(y, x), 0, "t").sha256());
    assertNotEquals(CalibrationSet.of(List.of(x), 0, "t").sha256(),
        CalibrationSet.of(List.of(x.reshape(new org.prunekit.core.graph.Shape(2, 2))), 0, "t").sha256());
  }

  @Test
  void selectDrawsDistinctSamples() {
    CalibrationSet s = CalibrationSet.select(10, 10, 42, i -> Tensor.of(new float[] {i}, 1), "ints");
    Set<Float> seen = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      seen.add(s.sample(i).data()[0]);
    }
    assertEquals(10, seen.size());
    assertEquals(s.sha256(), CalibrationSet.select(10, 10, 42, i -> Tensor.of(new float[] {i}, 1), "ints").sha256());
    assertThrows(IllegalArgumentException.class, () -> CalibrationSet.select(3, 4, 0, i -> null, "x"));
  }

  @Test
  void emptyMixedOrNonFiniteSamplesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CalibrationSet.of(List.of(), 0, "none"));
    assertTrue(e.getMessage().contains("empty calibration"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CalibrationSet.of(
        List.of(Tensor.of(new float[2], 2), Tensor.of(new float[3], 3)), 0, "mixed"));
    e = assertThrows(IllegalArgumentException.class, () -> CalibrationSet.of(
        List.of(Tensor.of(new float[] {0, Float.NaN}, 2)), 0, "nan"));
    assertTrue(e.getMessage().contains("sample 0") && e.getMessage().contains("index 1"), e.getMessage());
  }
}
