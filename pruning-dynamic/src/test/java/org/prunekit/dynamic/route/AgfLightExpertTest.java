package org.prunekit.dynamic.route;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.prunekit.core.exec.OneDnnSwitch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.structured.CalibrationBatch;

class AgfLightExpertTest {
  // libtorch 2.7.1's oneDNN conv backward sporadically returns NaN gradients on AVX-512 CPUs for some
  // channel counts (OneDnnSwitch, docs/core.md); this class computes conv gradients, so it runs with
  // oneDNN off and restores it after.
  @BeforeAll
  static void oneDnnOff() {
    OneDnnSwitch.disable();
  }

  @AfterAll
  static void oneDnnOn() {
    OneDnnSwitch.enable();
  }

  /** MLP 6 -> fc1 (5) -> relu -> fc2 (3); neuron 2 of fc1 feeds nothing (its fc2 column is zero). */
  private static Graph mlp() {
    Graph g = GraphBuilder.create(11).input("x", 6).linear("fc1", 5).relu().linear("fc2", 3).build();
    float[] w2 = g.parameter("fc2.weight").value().data().clone();
    for (int r = 0; r < 3; r++) {
      w2[r * 5 + 2] = 0;
    }
    g.parameter("fc2.weight").setValue(new Tensor(new Shape(3, 5), w2));
    return g;
  }

  private static List<CalibrationBatch> batches() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] x = new float[16 * 6];
    float[] y = new float[16];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = rng.nextInt(3);
    }
    return List.of(CalibrationBatch.of(Tensor.of(x, 16, 6), Tensor.of(y, 16)));
  }

  @Test
  void deadNeuronHasZeroUtilityAndIsRemovedPhysically() {
    Graph dense = mlp();
    float[] w2 = dense.parameter("fc2.weight").value().data().clone();
    AgfLightExpert light = AgfLightExpert.builder().setDense(dense).setCalibration(batches()).setChannelRatio(0.2)
        .build();
    assertEquals(List.of("fc1"), List.copyOf(light.scoredNodes().values()));
    double[] u = light.utilities().values().iterator().next();
    assertEquals(5, u.length);
    assertEquals(0.0, u[2], 0); // zero gradient -> U = 0 (spec 3.3 test 1)
    for (int i = 0; i < 5; i++) {
      assertTrue(i == 2 || u[i] > 0, "unit " + i + " utility " + u[i]);
    }
    Graph small = light.pruned();
    assertEquals(new Shape(4, 6), small.parameter("fc1.weight").shape());
    assertEquals(new Shape(3, 4), small.parameter("fc2.weight").shape());
    float[] expected = new float[12];
    for (int r = 0, k = 0; r < 3; r++) {
      for (int c = 0; c < 5; c++) {
        if (c != 2) {
          expected[k++] = w2[r * 5 + c];
        }
      }
    }
    assertArrayEquals(expected, small.parameter("fc2.weight").value().data());
    assertEquals(6 * 5 + 5 * 3, CostModel.of(dense, 1).total().macs());
    assertEquals(6 * 4 + 4 * 3, CostModel.of(small, 1).total().macs());
    assertEquals(new Shape(5, 6), dense.parameter("fc1.weight").shape(), "dense graph unchanged");
  }

  @Test
  void badSettings() {
    assertThrows(IllegalArgumentException.class,
        () -> AgfLightExpert.builder().setDense(mlp()).setCalibration(batches()).setChannelRatio(1.0).build());
    assertThrows(IllegalArgumentException.class,
        () -> AgfLightExpert.builder().setDense(mlp()).setCalibration(List.of()).setChannelRatio(0.5).build());
    assertThrows(IllegalArgumentException.class, () -> AgfLightExpert.builder().setChannelRatio(0.5).build());
  }
}
