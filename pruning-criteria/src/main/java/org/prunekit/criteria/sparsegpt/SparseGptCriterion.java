package org.prunekit.criteria.sparsegpt;

import org.prunekit.core.tensor.Tensor;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringContext;

/**
 * The registry entry for SparseGPT (short name {@code "sparsegpt"}), so that {@code
 * PruningSpec.of("sparsegpt", 0.5)} and {@code Criteria.byName("sparsegpt")} work.
 *
 * <p>SparseGPT is not a score: it chooses its mask block by block while it <em>updates the
 * surviving weights</em>, and it needs each layer's Hessian. It therefore runs through its own entry
 * point, {@link SparseGptPruning#prune}, which takes a spec naming this criterion. Handing the spec
 * to the score-only {@link org.prunekit.criteria.Pruning#prune} instead fails in {@link #score}
 * with an exception that says so, before the graph is changed.
 */
public final class SparseGptCriterion implements Criterion {
  /** The registry name. */
  public static final String NAME = "sparsegpt";

  /** Creates the criterion (stateless). */
  public SparseGptCriterion() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Always rejects: SparseGPT cannot run as a score-only criterion.
   *
   * @throws IllegalArgumentException naming the parameter and {@link SparseGptPruning#prune}
   */
  @Override
  public Tensor score(ScoringContext context) {
    throw new IllegalArgumentException("criterion 'sparsegpt' updates the surviving weights of '"
        + context.parameterName() + "' and needs its calibration Hessian, so it cannot run as a score-only "
        + "criterion; use SparseGptPruning.prune(graph, spec, hessians)");
  }

  /** The per-block selection over whole layers slices: {@link Scope#LAYER}. */
  @Override
  public Scope defaultScope() {
    return Scope.LAYER;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
