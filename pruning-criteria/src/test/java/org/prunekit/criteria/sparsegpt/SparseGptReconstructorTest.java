package org.prunekit.criteria.sparsegpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.TestGraphs;
import org.prunekit.criteria.calibration.GramMatrix;
import org.prunekit.criteria.calibration.Reconstruction;
import org.prunekit.criteria.pattern.NmPattern;

/** The GramMatrix -> SparseGPT bridge equals calling the layer operation directly. */
class SparseGptReconstructorTest {
  private static final int OUT = 4;
  private static final int IN = 8;
  private static final int TOKENS = 20;

  /** Small integer inputs: every X^T X entry is exact, so both paths see bit-identical Hessians. */
  private static float[] inputs(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[TOKENS * IN];
    for (int t = 0; t < TOKENS; t++) {
      int shared = r.nextInt(-3, 4);
      for (int j = 0; j < IN; j++) {
        x[t * IN + j] = r.nextInt(-3, 4) + (j % 2 == 0 ? shared : 0);
      }
    }
    return x;
  }

  private static GramMatrix gram(String name, float[] x, double factor) {
    double[] g = new double[IN * IN];
    for (int t = 0; t < TOKENS; t++) {
      for (int i = 0; i < IN; i++) {
        for (int j = 0; j < IN; j++) {
          g[i * IN + j] += (double) x[t * IN + i] * x[t * IN + j] * factor;
        }
      }
    }
    return new GramMatrix(name, IN, TOKENS, g);
  }

  private static Parameter weight(long seed) {
    Graph g = TestGraphs.linear(SparseGptTest.randn(new SplittableRandom(seed), OUT * IN), OUT, IN);
    return g.parameter("fc.weight");
  }

  private static HessianAccumulator accumulator(float[] x) {
    HessianAccumulator h = new HessianAccumulator("fc.weight", IN);
    h.add(Tensor.of(x, TOKENS, IN));
    return h;
  }

  @Test
  void unstructuredEqualsTheLayerOperation() {
    float[] x = inputs(1);
    Parameter w = weight(2);
    Tensor before = w.value().copy();
    GramMatrix gram = gram("fc.weight", x, 1);
    double[] gramBefore = gram.values().clone();
    Reconstruction r = SparseGptReconstructor.defaults().reconstruct(w, gram, PruningSpec.of("sparsegpt", 0.5));
    SparseGptResult e = SparseGpt.defaults().prune("fc.weight", before, accumulator(x), 0.5);
    assertArrayEquals(e.weight().data(), r.value().data());
    assertArrayEquals(e.mask().data(), r.mask().data());
    assertEquals(16, r.mask().countZeros());
    assertTrue(before.bitEquals(w.value()), "weight must not be modified");
    assertArrayEquals(gramBefore, gram.values(), "Gram matrix must not be modified");
    // the update happened: some surviving weight changed
    boolean changed = false;
    for (int i = 0; i < OUT * IN; i++) {
      changed |= r.mask().data()[i] == 1f && r.value().data()[i] != before.data()[i];
    }
    assertTrue(changed);
  }

  @Test
  void twoFourEqualsTheLayerOperation() {
    float[] x = inputs(3);
    Parameter w = weight(4);
    Reconstruction r = SparseGptReconstructor.defaults().reconstruct(w, gram("fc.weight", x, 1),
        PruningSpec.of("sparsegpt", NmPattern.keep(2, 4)));
    SparseGptResult e = SparseGpt.defaults().prune("fc.weight", w.value(), accumulator(x), NmPattern.keep(2, 4));
    assertArrayEquals(e.weight().data(), r.value().data());
    assertArrayEquals(e.mask().data(), r.mask().data());
    float[] m = r.mask().data();
    for (int g = 0; g < OUT * IN; g += 4) {
      assertEquals(2f, m[g] + m[g + 1] + m[g + 2] + m[g + 3], "group at " + g);
    }
  }

  /** H's scale (2/n, 2/sequences, or none) changes nothing but rounding. */
  @Test
  void resultDoesNotDependOnTheHessianScale() {
    float[] x = inputs(5);
    Parameter w = weight(6);
    PruningSpec spec = PruningSpec.of("sparsegpt", 0.5);
    Reconstruction a = SparseGptReconstructor.defaults().reconstruct(w, gram("fc.weight", x, 1), spec);
    Reconstruction b = SparseGptReconstructor.defaults().reconstruct(w, gram("fc.weight", x, 1000.0 / 7), spec);
    assertArrayEquals(a.mask().data(), b.mask().data());
    assertArrayEquals(a.value().data(), b.value().data(), 1e-5f);
  }

  @Test
  void existingMaskStaysPruned() {
    float[] x = inputs(7);
    Parameter w = weight(8);
    float[] old = new float[OUT * IN];
    java.util.Arrays.fill(old, 1f);
    old[0] = 0f;
    old[9] = 0f;
    w.setMask(Tensor.of(old, OUT, IN));
    Reconstruction r = SparseGptReconstructor.defaults().reconstruct(w, gram("fc.weight", x, 1),
        PruningSpec.of("sparsegpt", 0.5));
    SparseGptResult e = SparseGpt.defaults().run("fc.weight", w.value(), accumulator(x).hessian(), 0.5, null,
        w.mask());
    assertArrayEquals(e.mask().data(), r.mask().data());
    assertEquals(0f, r.mask().data()[0]);
    assertEquals(0f, r.mask().data()[9]);
  }

  @Test
  void badInputNamesTheWeight() {
    Parameter w = weight(9);
    GramMatrix narrow = new GramMatrix("fc.weight", 4, 10, new double[16]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparseGptReconstructor.defaults().reconstruct(w, narrow, PruningSpec.of("sparsegpt", 0.5)));
    assertTrue(e.getMessage().contains("fc.weight") && e.getMessage().contains("input width 8"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SparseGptReconstructor.defaults().reconstruct(w,
        gram("fc.weight", inputs(1), 1), PruningSpec.of("sparsegpt", 0.5, Scope.ROW)));
    assertTrue(e.getMessage().contains("fc.weight") && e.getMessage().contains("ROW"), e.getMessage());
    assertEquals("sparsegpt", SparseGptReconstructor.defaults().name());
  }
}
