package org.prunekit.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Median and nearest-rank p90 of latency samples, and validation. */
class LatencyResultTest {
  @Test
  void medianAndP90() {
    double[] t = {5, 1, 4, 2, 3};
    assertEquals(3, LatencyResult.median(t));
    assertEquals(5, LatencyResult.p90(t)); // ceil(4.5) = 5th smallest
    double[] ten = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    assertEquals(5.5, LatencyResult.median(ten));
    assertEquals(9, LatencyResult.p90(ten)); // ceil(9) = 9th smallest
    assertEquals(5, t[0], "input not modified");
  }

  @Test
  void rejectsImpossibleFigures() {
    assertThrows(IllegalArgumentException.class, () -> new LatencyResult("djl", 1, 2.0, 1.0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new LatencyResult("djl", 0, 1.0, 1.0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> LatencyResult.median(new double[0]));
  }

  @Test
  void sweepSpecValidation() {
    SweepSpec.Builder b = SweepSpec.builder().setModels(java.util.List.of("demo-cnn"));
    assertEquals(java.util.List.of("djl", "ort"), b.optEngines(java.util.List.of("DJL", " ort", "djl")).build().engines());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SweepSpec.builder().setModels(java.util.List.of("demo-cnn"))
            .optUnstructured(java.util.List.of("magnitude"), java.util.List.of(1.0)).build());
    assertEquals("sparsity must be in [0, 1), got 1.0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SweepSpec.builder().setModels(java.util.List.of("demo-cnn"))
        .optUnstructured(java.util.List.of("magnitude"), java.util.List.of()).build());
  }
}
