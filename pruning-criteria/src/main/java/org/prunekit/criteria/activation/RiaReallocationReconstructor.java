package org.prunekit.criteria.activation;

import java.util.Objects;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.ScoringContext;
import org.prunekit.criteria.calibration.GramMatrix;
import org.prunekit.criteria.calibration.LayerReconstructor;
import org.prunekit.criteria.calibration.Reconstruction;
import org.prunekit.criteria.calibration.SequentialPruner;
import org.prunekit.criteria.pattern.NmPattern;

/**
 * RIA with N:M channel reallocation ({@link RiaReallocation}) as a per-layer step of {@link
 * SequentialPruner}, so that reallocation runs inside Wanda's block-by-block calibration procedure
 * like every other criterion (RIA's reference prunes with {@code --reallocation} the same way).
 *
 * <p>The input column norms come from the diagonal of the layer's Gram matrix ({@code diag(X^T X)
 * = ||X_j||^2} over the calibration tokens, what the pruner otherwise accumulates as squared
 * norms). Surviving weights are <em>not</em> updated: the value is the weight times the mask. The
 * mask is N:M in the permuted column order (see {@link RiaReallocation}); entries already masked
 * stay pruned. {@link #lastResult()} exposes the reallocation details of the last layer.
 */
public final class RiaReallocationReconstructor implements LayerReconstructor {
  private final RiaCriterion criterion;
  private final boolean keepBetter;
  private final boolean lsa;
  private volatile RiaReallocation.Result last;

  /**
   * @param criterion RIA with its exponent {@code a}
   * @param keepBetter use the reallocated mask only if it keeps at least the identity order's score
   *     sum ({@code false} reproduces the reference)
   * @param lsa refine the zig-zag permutation with {@link RiaLsa}
   */
  public RiaReallocationReconstructor(RiaCriterion criterion, boolean keepBetter, boolean lsa) {
    this.criterion = Objects.requireNonNull(criterion, "criterion");
    this.keepBetter = keepBetter;
    this.lsa = lsa;
  }

  /** The reference setting: RIA's default exponent, the heuristic reallocation always used, no LSA. */
  public static RiaReallocationReconstructor reference() {
    return new RiaReallocationReconstructor(new RiaCriterion(), false, false);
  }

  @Override
  public String name() {
    return lsa ? "ria-reallocation-lsa" : "ria-reallocation";
  }

  /** The reallocation of the most recent {@link #reconstruct} call, or null before the first. */
  public RiaReallocation.Result lastResult() {
    return last;
  }

  @Override
  public Reconstruction reconstruct(Parameter weight, GramMatrix gram, PruningSpec spec) {
    NmPattern pattern = spec.pattern() instanceof NmPattern n ? n : null;
    if (pattern == null) {
      throw new IllegalArgumentException("channel reallocation is for N:M patterns; the spec for '"
          + weight.qualifiedName() + "' has none");
    }
    ScoringContext c = ScoringContext.builderFor(weight).optInputColumnSquaredNorms(gram.diagonal()).build();
    pattern.requireDivides(weight.qualifiedName(), c.columns());
    Tensor s = criterion.score(c);
    float[] old = weight.hasMask() ? weight.mask().data() : null;
    if (old != null) {
      float[] sd = s.data();
      for (int i = 0; i < sd.length; i++) {
        if (old[i] == 0f) {
          sd[i] = Float.NEGATIVE_INFINITY;
        }
      }
    }
    RiaReallocation.Result r = RiaReallocation.select(weight.qualifiedName(), s, pattern, keepBetter, lsa);
    float[] m = r.mask().data().clone();
    float[] w = weight.value().data();
    float[] v = new float[w.length];
    for (int i = 0; i < m.length; i++) {
      if (old != null && old[i] == 0f) {
        m[i] = 0f;
      }
      v[i] = m[i] != 0f ? w[i] : 0f;
    }
    last = r;
    return new Reconstruction(new Tensor(weight.shape(), v), new Tensor(weight.shape(), m));
  }
}
