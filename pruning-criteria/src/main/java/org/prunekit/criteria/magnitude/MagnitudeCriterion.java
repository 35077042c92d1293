package org.prunekit.criteria.magnitude;

import java.util.stream.IntStream;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.ColumnScaledMagnitude;
import org.prunekit.criteria.ScoringContext;

/**
 * Unstructured magnitude pruning (spec B1): {@code S_ij = |W_ij|}. L1 and L2 give the same
 * ordering for single weights; for whole rows see {@link RowNorms}. Short name {@code
 * "magnitude"}; needs weights only. Large tensors are scored in parallel chunks; ROW masks can be
 * computed without the score tensor ({@link ColumnScaledMagnitude}).
 */
public final class MagnitudeCriterion implements ColumnScaledMagnitude {
  /** The registry name. */
  public static final String NAME = "magnitude";

  private static final int PARALLEL_MIN = 1 << 16;
  private static final int CHUNK = 1 << 18;

  /** Creates the criterion (stateless). */
  public MagnitudeCriterion() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Tensor score(ScoringContext context) {
    float[] w = context.weight().toFloatArray();
    float[] s = new float[w.length];
    if (w.length < PARALLEL_MIN) {
      abs(w, s, 0, w.length);
    } else {
      // Chunks are independent and each element is computed the same way: the result does not depend on threads.
      int chunks = (w.length + CHUNK - 1) / CHUNK;
      IntStream.range(0, chunks).parallel()
          .forEach(c -> abs(w, s, c * CHUNK, (int) Math.min(w.length, (long) (c + 1) * CHUNK)));
    }
    return new Tensor(context.weightShape(), s);
  }

  /** Magnitude has no column factors: {@code null} (every factor 1). */
  @Override
  public float[] columnScales(ScoringContext context) {
    return null;
  }

  private static void abs(float[] w, float[] s, int from, int to) {
    for (int i = from; i < to; i++) {
      s[i] = Math.abs(w[i]);
    }
  }

  @Override
  public String toString() {
    return NAME;
  }
}
