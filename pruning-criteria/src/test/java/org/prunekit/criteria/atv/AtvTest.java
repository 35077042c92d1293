package org.prunekit.criteria.atv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Criteria;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.ScoringContext;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.TestGraphs;

class AtvTest {
  private static final double EPS = 1e-9;

  @Test
  void keepCountFollowsTheSpecIncludingHalfEven() {
    assertEquals(5, VisualTokenSelector.keepCount(0.12, 1, 40, 576)); // 4.8 -> 5
    assertEquals(20, VisualTokenSelector.keepCount(0.5, 1, 40, 30)); // 20, N_vis = 30 does not bind
    assertEquals(2, VisualTokenSelector.keepCount(0.0625, 1, 40, 576)); // 2.5 -> 2 (half-up would give 3)
    assertEquals(4, VisualTokenSelector.keepCount(0.4375, 1, 8, 576)); // 3.5 -> 4 (half-even rounds up here)
    assertEquals(2, VisualTokenSelector.keepCount(0.3125, 1, 8, 576)); // 2.5 -> 2
    assertEquals(7, VisualTokenSelector.keepCount(0.8, 2, 40, 7)); // min(1, 1.6) * 40 = 40, capped by N_vis = 7
    assertEquals(40, VisualTokenSelector.keepCount(0.8, 2, 40, 576));
    assertEquals(0, VisualTokenSelector.keepCount(0.9, 0, 40, 576)); // alpha = 0: text only
    assertThrows(IllegalArgumentException.class, () -> VisualTokenSelector.keepCount(0.1, -1, 4, 4));
    assertThrows(IllegalArgumentException.class, () -> VisualTokenSelector.keepCount(Double.NaN, 1, 4, 4));
  }

  /** Sample 0: text, then visual tokens with distances 1, 0, 1 - 1/sqrt(2). Sample 1: text, text, visual (d = 2). */
  private static VisualTokenSelector handSelector() {
    VisualTokenSelector s = new VisualTokenSelector("layer0");
    s.addSample(new boolean[] {false, true, true, true},
        Tensor.of(new float[] {5, 5, 1, 0, 1, 0, 1, 0}, 4, 2),
        Tensor.of(new float[] {1, 2, 0, 1, 1, 0, 1, 1}, 4, 2));
    s.addSample(new boolean[] {false, false, true},
        Tensor.of(new float[] {1, 0, 0, 1, 0, 1}, 1, 3, 2),
        Tensor.of(new float[] {0, 3, 2, 2, 0, -1}, 1, 3, 2));
    return s;
  }

  @Test
  void distancesAndSelectionByHand() {
    VisualTokenSelector s = handSelector();
    assertArrayEquals(new double[] {1, 0, 1 - Math.sqrt(0.5)}, s.distances(0), EPS);
    assertArrayEquals(new double[] {2}, s.distances(1), EPS);
    double mean = (1 + 0 + (1 - Math.sqrt(0.5)) + 2) / 4; // 0.82322
    assertEquals(mean, s.meanDistance(), EPS);

    TokenSelection a1 = s.select(1.0);
    // sample 0: round(0.823 * 1) = 1 -> the visual token with the largest d (position 1)
    // sample 1: round(0.823 * 2) = round(1.646) = 2, capped by its single visual token -> 1
    assertArrayEquals(new int[] {1, 1}, a1.keepCounts());
    assertArrayEquals(new int[] {0, 1}, a1.pool(0));
    assertArrayEquals(new int[] {0, 1, 2}, a1.pool(1));

    TokenSelection half = s.select(0.5);
    // min(1, 0.4116): sample 0 round(0.41) = 0, sample 1 round(0.82) = 1
    assertArrayEquals(new int[] {0, 1}, half.keepCounts());
    assertArrayEquals(new int[] {0}, half.pool(0));
    assertArrayEquals(new int[] {0, 1, 2}, half.pool(1));
  }

  @Test
  void selectionTakesTopKAndBreaksTiesByLowerPosition() {
    VisualTokenSelector s = new VisualTokenSelector("l");
    // 6 text tokens, 4 visual tokens with distances 2, 1, 1, 0 (opposite, orthogonal twice, equal)
    boolean[] tags = {false, false, false, false, false, false, true, true, true, true};
    float[] in = new float[20];
    float[] out = new float[20];
    for (int t = 0; t < 10; t++) {
      in[2 * t] = 1;
      out[2 * t] = 1;
    }
    out[12] = -1; // d = 2
    out[14] = 0; out[15] = 1; // d = 1
    out[16] = 0; out[17] = 1; // d = 1
    s.addSample(tags, Tensor.of(in, 10, 2), Tensor.of(out, 10, 2));
    assertEquals(1.0, s.meanDistance(), 0);
    // alpha 0.5: round(0.5 * 6) = 3 -> tokens 6 (d=2), 7 and 8 (d=1)
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, s.select(0.5).pool(0));
    // alpha 0.25: round(1.5) = 2 -> token 6, and of the tied tokens 7 and 8 the lower, 7
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, s.select(0.25).pool(0));
    // alpha 1/12: round(6/12) = round(0.5) = 0 -> text only
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, s.select(1.0 / 12).pool(0));
  }

  @Test
  void pooledNormsAndScoresDifferFromAllTokenWanda() {
    TokenSelection sel = handSelector().select(1.0);
    PooledInputNorms norms = new PooledInputNorms(sel);
    // linear inputs: sample 0 rows t0=[1,2] t1=[3,0] t2=[50,0] (not selected) t3=[1,1]; sample 1 [0,1] [2,0] [1,1]
    Tensor x0 = Tensor.of(new float[] {1, 2, 3, 0, 50, 0, 1, 1}, 4, 2);
    Tensor x1 = Tensor.of(new float[] {0, 1, 2, 0, 1, 1}, 3, 2);
    norms.accumulate("fc.weight", 0, x0);
    norms.accumulate("fc.weight", 1, x1);
    // pool 0 = {0, 1}: [1 + 9, 4 + 0] = [10, 4]; pool 1 = all: [0 + 4 + 1, 1 + 0 + 1] = [5, 2]; mean [7.5, 3]
    assertArrayEquals(new double[] {7.5, 3}, norms.squaredNorms("fc.weight"), EPS);
    assertEquals(2, norms.samples("fc.weight"));

    Graph g = TestGraphs.linear(new float[] {1, -2, 3, 0.5f}, 2, 2);
    // S = [[sqrt 7.5, 2 sqrt 3], [3 sqrt 7.5, 0.5 sqrt 3]] = [[2.739, 3.464], [8.216, 0.866]]
    Tensor s = new AtvCriterion().score(ScoringContext.builderFor(g.parameter("fc.weight"))
        .optInputColumnSquaredNorms(norms.squaredNorms("fc.weight")).build());
    assertArrayEquals(new float[] {(float) Math.sqrt(7.5), 2 * (float) Math.sqrt(3), 3 * (float) Math.sqrt(7.5),
        0.5f * (float) Math.sqrt(3)}, s.data(), 1e-6f);
    Pruning.prune(g, PruningSpec.of("atv", 0.5), norms.scoringInputs());
    assertArrayEquals(new float[] {0, 1, 1, 0}, TestGraphs.mask(g, "fc.weight"));

    // all-token Wanda (same per-sample running mean): the unselected token t2 dominates column 0
    // sample 0, all tokens: [1 + 9 + 2500 + 1, 4 + 0 + 0 + 1] = [2511, 5]; sample 1: [5, 2]; mean [1258, 3.5]
    Graph w = TestGraphs.linear(new float[] {1, -2, 3, 0.5f}, 2, 2);
    double[] all = {(2511 + 5) / 2.0, (5 + 2) / 2.0};
    Pruning.prune(w, PruningSpec.of("wanda", 0.5), ScoringInputs.ofNorms(java.util.Map.of("fc.weight", all)));
    assertArrayEquals(new float[] {1, 0, 1, 0}, TestGraphs.mask(w, "fc.weight"), "Wanda on all tokens prunes W_01");
  }

  @Test
  void alphaZeroIsTextOnlyWandaAndFullSelectionIsAllTokenWanda() {
    SplittableRandom r = new SplittableRandom(5);
    VisualTokenSelector sel = new VisualTokenSelector("l");
    int samples = 3;
    int tokens = 12;
    int hidden = 4;
    Tensor[] xs = new Tensor[samples];
    boolean[][] tags = new boolean[samples][tokens];
    for (int j = 0; j < samples; j++) {
      for (int t = 0; t < tokens; t++) {
        tags[j][t] = t >= 2 + j && t < 6 + j; // 4 visual tokens, 8 text
      }
      sel.addSample(tags[j], random(r, tokens, hidden), random(r, tokens, hidden));
      xs[j] = random(r, tokens, 5);
    }
    double[] text = new double[5];
    double[] all = new double[5];
    for (int j = 0; j < samples; j++) {
      float[] x = xs[j].data();
      for (int t = 0; t < tokens; t++) {
        for (int c = 0; c < 5; c++) {
          double v = (double) x[t * 5 + c] * x[t * 5 + c];
          all[c] += v / samples;
          if (!tags[j][t]) {
            text[c] += v / samples;
          }
        }
      }
    }
    PooledInputNorms zero = accumulate(sel.select(0), xs);
    assertArrayEquals(text, zero.squaredNorms("p"), 1e-9);
    // alpha large: min(1, alpha * d) = 1 -> k = min(N_vis = 4, N_text = 8) = 4: every visual token
    PooledInputNorms full = accumulate(sel.select(1e6), xs);
    assertArrayEquals(new int[] {4, 4, 4}, full.selection().keepCounts());
    assertArrayEquals(all, full.squaredNorms("p"), 1e-9);
    for (int k : sel.select(1).keepCounts()) {
      assertTrue(k <= 4, "k_j <= min(N_vis, N_text)");
    }
  }

  @Test
  void badInputIsRejectedNamingTheSample() {
    VisualTokenSelector s = new VisualTokenSelector("layer3");
    assertThrows(IllegalArgumentException.class, () -> s.select(1), "empty calibration");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.addSample(new boolean[] {true}, Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {1, 2, 3},
            1, 3)));
    assertTrue(e.getMessage().contains("layer3"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> s.addSample(new boolean[] {true, false}, Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {1,
            2}, 1, 2)));
    assertThrows(IllegalArgumentException.class,
        () -> s.addSample(new boolean[] {true}, Tensor.of(new float[] {Float.NaN, 2}, 1, 2), Tensor.of(new float[] {1,
            2}, 1, 2)));
    assertEquals(0, s.samples(), "nothing added by failed calls");
    // token 1 is visual with d = 1, so k = round(1 * 1) = 1 and the pool is {0, 1}
    s.addSample(new boolean[] {false, true}, Tensor.of(new float[] {1, 0, 0, 1}, 2, 2), Tensor.of(new float[] {1, 0,
        1, 0}, 2, 2));
    PooledInputNorms n = new PooledInputNorms(s.select(1));
    assertThrows(IllegalArgumentException.class, () -> n.accumulate("p", 1, Tensor.of(new float[4], 2, 2)));
    assertThrows(IllegalArgumentException.class, () -> n.accumulate("p", 0, Tensor.of(new float[2], 1, 2)));
    assertThrows(IllegalArgumentException.class, () -> n.squaredNorms("p"));
  }

  @Test
  void registeredAsAtv() {
    assertInstanceOf(AtvCriterion.class, Criteria.byName("atv"));
    assertEquals(org.prunekit.criteria.Scope.ROW, Criteria.byName("atv").defaultScope());
  }

  private static PooledInputNorms accumulate(TokenSelection s, Tensor[] xs) {
    PooledInputNorms n = new PooledInputNorms(s);
    for (int j = 0; j < xs.length; j++) {
      n.accumulate("p", j, xs[j]);
    }
    return n;
  }

  static Tensor random(SplittableRandom r, int rows, int cols) {
    float[] d = new float[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return Tensor.of(d, rows, cols);
  }
}
