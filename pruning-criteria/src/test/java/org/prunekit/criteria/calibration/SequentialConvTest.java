package org.prunekit.criteria.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.Targets;

/** Conv weights in the calibration pipeline: exact im2col column norms, per-layer blocks. */
class SequentialConvTest {
  private static final int C = 2;
  private static final int H = 4;

  private static List<Tensor> samples() {
    List<Tensor> s = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      float[] v = new float[C * H * H];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) Math.cos(1.3 * i + n);
      }
      s.add(Tensor.of(v, C, H, H));
    }
    return s;
  }

  private static Graph cnn(int groups) {
    return GraphBuilder.create(5).input("x", C, H, H).conv2d("c1", 4, 3, 1, 1, groups).relu().flatten()
        .linear("fc", 3).build();
  }

  /** im2col norms of a 3x3, pad 1, stride 1 conv by hand: column c*9 + dy*3 + dx. */
  private static double[] im2colNorms(List<Tensor> samples) {
    double[] out = new double[C * 9];
    for (Tensor t : samples) {
      float[] x = t.data();
      for (int c = 0; c < C; c++) {
        for (int dy = 0; dy < 3; dy++) {
          for (int dx = 0; dx < 3; dx++) {
            for (int y = 0; y < H; y++) {
              for (int xx = 0; xx < H; xx++) {
                int iy = y + dy - 1;
                int ix = xx + dx - 1;
                if (iy >= 0 && iy < H && ix >= 0 && ix < H) {
                  double v = x[(c * H + iy) * H + ix];
                  out[c * 9 + dy * 3 + dx] += v * v;
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void perLayerBlocksAndWandaOnAConvUseIm2colNorms() {
    Graph g = cnn(1);
    BlockPartition part = BlockPartition.perWeightedLayer(g);
    assertEquals(2, part.blocks().size());
    assertEquals("c1", part.blocks().get(0).name());
    assertTrue(part.prefix().isEmpty() && part.suffix().isEmpty());
    PruningSpec spec = PruningSpec.builder().setCriterion("wanda").setSparsity(0.5).optTargets(Targets.only("c1"))
        .build();
    List<Tensor> s = samples();
    MaskSet expected = Pruning.computeMasks(g, spec, ScoringInputs.ofNorms(Map.of("c1.weight", im2colNorms(s))));
    SequentialPruner.builder().setSpec(spec).setPartition(part).optCalibration(CalibrationSet.of(s, 0, "test"))
        .build().prune(g);
    assertArrayEquals(expected.mask("c1.weight").data(), g.parameter("c1.weight").mask().data());
    // not the per-channel approximation: border columns (dy or dx 0 or 2) see fewer positions
    double[] n = im2colNorms(s);
    assertTrue(n[0] < n[4] && n[9] < n[13]);
  }

  @Test
  void groupedConvIsRejectedAndNothingChanges() {
    Graph g = cnn(2);
    Tensor before = g.parameter("c1.weight").value().copy();
    PruningSpec spec = PruningSpec.builder().setCriterion("wanda").setSparsity(0.5).optTargets(Targets.only("c1"))
        .build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequentialPruner.builder()
        .setSpec(spec).setPartition(BlockPartition.perWeightedLayer(g))
        .optCalibration(CalibrationSet.of(samples(), 0, "test")).build().prune(g));
    assertTrue(e.getMessage().contains("c1.weight") && e.getMessage().contains("groups=2"), e.getMessage());
    assertFalse(g.parameter("c1.weight").hasMask());
    assertTrue(before.bitEquals(g.parameter("c1.weight").value()));
  }
}
