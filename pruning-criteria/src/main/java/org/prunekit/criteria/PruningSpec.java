package org.prunekit.criteria;

import java.util.Objects;
import org.prunekit.criteria.select.MaskSelector;

/**
 * What to prune and how: the criterion, the target sparsity, the scope, the threshold mode and the
 * target parameters. Validated on construction, so an invalid spec fails before any model is
 * touched.
 *
 * @param criterion the score
 * @param sparsity fraction of target weights to prune, in {@code [0, 1)}
 * @param scope which weights compete (per layer, per output row, global)
 * @param thresholdMode exact count (default) or the references' {@code <=} threshold
 * @param targets which parameters are pruned
 */
public record PruningSpec(Criterion criterion, double sparsity, Scope scope, ThresholdMode thresholdMode,
    Targets targets) {
  /**
   * Validates the spec.
   *
   * @throws IllegalArgumentException naming the sparsity value unless {@code 0 <= sparsity < 1}
   */
  public PruningSpec {
    Objects.requireNonNull(criterion, "criterion");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(thresholdMode, "thresholdMode");
    Objects.requireNonNull(targets, "targets");
    MaskSelector.requireSparsity(sparsity);
  }

  /** A layer-wise, exact-count spec over the default targets. */
  public static PruningSpec of(String criterion, double sparsity) {
    return builder().setCriterion(criterion).setSparsity(sparsity).build();
  }

  /** An exact-count spec over the default targets. */
  public static PruningSpec of(String criterion, double sparsity, Scope scope) {
    return builder().setCriterion(criterion).setSparsity(sparsity).optScope(scope).build();
  }

  /** A builder: criterion and sparsity are required; scope LAYER, mode EXACT, default targets. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PruningSpec}. */
  public static final class Builder {
    private Criterion criterion;
    private Double sparsity;
    private Scope scope = Scope.LAYER;
    private ThresholdMode mode = ThresholdMode.EXACT;
    private Targets targets = Targets.defaults();

    private Builder() {}

    /** Required: the criterion. */
    public Builder setCriterion(Criterion criterion) {
      this.criterion = Objects.requireNonNull(criterion, "criterion");
      return this;
    }

    /** Required: the criterion by short or class name ({@link Criteria#byName}). */
    public Builder setCriterion(String name) {
      this.criterion = Criteria.byName(name);
      return this;
    }

    /** Required: the sparsity in {@code [0, 1)}. */
    public Builder setSparsity(double sparsity) {
      this.sparsity = sparsity;
      return this;
    }

    /** Optional: the scope (default {@link Scope#LAYER}). */
    public Builder optScope(Scope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /** Optional: the threshold mode (default {@link ThresholdMode#EXACT}). */
    public Builder optThresholdMode(ThresholdMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Optional: the targets (default {@link Targets#defaults()}). */
    public Builder optTargets(Targets targets) {
      this.targets = Objects.requireNonNull(targets, "targets");
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws IllegalArgumentException if the criterion or sparsity is missing or invalid
     */
    public PruningSpec build() {
      if (criterion == null) {
        throw new IllegalArgumentException("pruning spec needs a criterion; known criteria: " + Criteria.names());
      }
      if (sparsity == null) {
        throw new IllegalArgumentException("pruning spec needs a sparsity in [0, 1)");
      }
      return new PruningSpec(criterion, sparsity, scope, mode, targets);
    }
  }
}
