package org.prunekit.criteria.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.ParamRole;
import org.prunekit.core.graph.ParamSpec;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.ScoringContext;
import org.prunekit.criteria.calibration.GramMatrix;
import org.prunekit.criteria.calibration.Reconstruction;
import org.prunekit.criteria.pattern.NmPattern;

class RiaReallocationReconstructorTest {

  private static Parameter weight(float[] w, int rows, int cols) {
    return new Parameter("fc", new ParamSpec("weight", ParamRole.WEIGHT, new Shape(rows, cols), "OI"),
        Tensor.of(w, rows, cols));
  }

  /** A Gram matrix whose diagonal is {@code d} (off-diagonal entries must not matter). */
  private static GramMatrix gram(double[] d) {
    int n = d.length;
    double[] v = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        v[i * n + j] = i == j ? d[i] : 0.25 * (i + j);
      }
    }
    return new GramMatrix("fc.weight", n, 10, v);
  }

  @Test
  void sameMaskAsRiaReallocationOnTheGramDiagonalAndValueIsMasked() {
    SplittableRandom rng = new SplittableRandom(3);
    int rows = 6;
    int cols = 16;
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    double[] d = new double[cols];
    for (int j = 0; j < cols; j++) {
      d[j] = Math.exp(2 * rng.nextGaussian());
    }
    Parameter p = weight(w, rows, cols);
    NmPattern twoFour = NmPattern.keep(2, 4);
    PruningSpec spec = PruningSpec.builder().setCriterion("ria").optPattern(twoFour).build();
    RiaReallocationReconstructor rec = RiaReallocationReconstructor.reference();
    Reconstruction r = rec.reconstruct(p, gram(d), spec);

    Tensor scores = new RiaCriterion().score(ScoringContext.builderFor(p).optInputColumnSquaredNorms(d).build());
    RiaReallocation.Result want = RiaReallocation.select("fc.weight", scores, twoFour, false);
    assertArrayEquals(want.mask().data(), r.mask().data());
    assertEquals(rows * cols / 2, (int) sum(r.mask().data()));
    for (int i = 0; i < w.length; i++) {
      assertEquals(r.mask().data()[i] != 0f ? w[i] : 0f, r.value().data()[i], 0f, "index " + i);
    }
    assertArrayEquals(want.permutation(), rec.lastResult().permutation());
    assertArrayEquals(w, p.value().data()); // the parameter itself is not modified
    assertTrue(!p.hasMask());
  }

  @Test
  void alreadyMaskedEntriesStayPruned() {
    float[] w = {4, 3, 2, 1, 1, 2, 3, 4};
    Parameter p = weight(w, 2, 4);
    p.setMask(Tensor.of(new float[] {0, 1, 1, 1, 1, 1, 1, 1}, 2, 4));
    PruningSpec spec = PruningSpec.builder().setCriterion("ria").optPattern(NmPattern.keep(2, 4)).build();
    Reconstruction r = RiaReallocationReconstructor.reference().reconstruct(p, gram(new double[] {1, 1, 1, 1}), spec);
    assertEquals(0f, r.mask().data()[0]);
    assertEquals(0f, r.value().data()[0]);
  }

  @Test
  void unstructuredSpecsAndIndivisibleWidthsAreRejectedByName() {
    Parameter p = weight(new float[12], 2, 6);
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> RiaReallocationReconstructor.reference().reconstruct(p, gram(new double[6]),
            PruningSpec.builder().setCriterion("ria").setSparsity(0.5).build()));
    assertTrue(none.getMessage().contains("fc.weight") && none.getMessage().contains("N:M"), none.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> RiaReallocationReconstructor.reference().reconstruct(p, gram(new double[6]),
            PruningSpec.builder().setCriterion("ria").optPattern(NmPattern.keep(2, 4)).build()));
  }

  private static double sum(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f;
    }
    return s;
  }
}
