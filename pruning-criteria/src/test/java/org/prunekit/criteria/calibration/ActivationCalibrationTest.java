package org.prunekit.criteria.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.Targets;

/** One-pass calibration: hand-computed norms, conv expansion, and Wanda driven by it. */
class ActivationCalibrationTest {
  @Test
  void linearNormsAreColumnSumsOfSquaresOverAllBatches() {
    Graph g = GraphBuilder.create(1).input("x", 2).linear("fc", 2, false).build();
    // spec B2 example tokens x1 = [1, 0], x2 = [1, 2], fed in two batches
    ActivationCalibration.Result r = ActivationCalibration.collect(g, Targets.defaults(),
        List.of(Tensor.of(new float[] {1, 0}, 1, 2), Tensor.of(new float[] {1, 2}, 1, 2)));
    assertArrayEquals(new double[] {2, 4}, r.inputs().inputColumnSquaredNorms().get("fc.weight"), 1e-12);
    assertEquals(2, r.samples());
    assertEquals(64, r.sha256().length());
  }

  @Test
  void wandaWithCollectedNormsReproducesTheSpecExample() {
    Graph g = GraphBuilder.create(1).input("x", 2).linear("fc", 2, false).build();
    System.arraycopy(new float[] {1, -2, 3, 0.5f}, 0, g.parameter("fc.weight").value().data(), 0, 4);
    ActivationCalibration.Result r = ActivationCalibration.collect(g, Targets.defaults(),
        List.of(Tensor.of(new float[] {1, 0, 1, 0.1f}, 2, 2)));
    Pruning.prune(g, PruningSpec.of("wanda", 0.5, Scope.ROW), r.inputs());
    // x2 = [1, 0.1]: Wanda prunes W01 and W11 (magnitude would prune W00)
    assertArrayEquals(new float[] {1, 0, 1, 0}, g.parameter("fc.weight").mask().data());
  }

  @Test
  void convChannelStatisticsAreRepeatedOverKernelElements() {
    Graph g = GraphBuilder.create(2).input("x", 2, 3, 3).conv2d("conv", 1, 3, 1, 1).build();
    float[] x = new float[18];
    java.util.Arrays.fill(x, 0, 9, 1f); // channel 0 all ones: sum of squares 9
    java.util.Arrays.fill(x, 9, 18, 2f); // channel 1 all twos: 36
    double[] n = ActivationCalibration.collect(g, Targets.defaults(), List.of(Tensor.of(x, 1, 2, 3, 3)))
        .inputs().inputColumnSquaredNorms().get("conv.weight");
    assertEquals(18, n.length);
    for (int k = 0; k < 9; k++) {
      assertEquals(9, n[k], 1e-9);
      assertEquals(36, n[9 + k], 1e-9);
    }
  }

  @Test
  void emptyCalibrationIsRefused() {
    Graph g = GraphBuilder.create(1).input("x", 2).linear("fc", 2, false).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ActivationCalibration.collect(g, Targets.defaults(), List.of()));
    assertTrue(e.getMessage().contains("empty calibration"), e.getMessage());
  }
}
