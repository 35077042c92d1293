package org.prunekit.criteria;

import java.util.Objects;
import org.prunekit.criteria.pattern.NmPattern;
import org.prunekit.criteria.pattern.SparsityPattern;
import org.prunekit.criteria.select.MaskSelector;

/**
 * What to prune and how: the criterion, the target sparsity, the scope, the threshold mode, the
 * target parameters and the mask pattern. Validated on construction, so an invalid spec fails
 * before any model is touched.
 *
 * <p>With an {@link NmPattern} the sparsity is the pattern's ({@code (M - N) / M}), the groups lie
 * inside output rows, and selection is by exact count: the scope must be {@link Scope#LAYER} or
 * {@link Scope#ROW} (both mean "per row" here) and the mode {@link ThresholdMode#EXACT}.
 *
 * @param criterion the score
 * @param sparsity fraction of target weights to prune, in {@code [0, 1)}
 * @param scope which weights compete (per layer, per output row, global)
 * @param thresholdMode exact count (default) or the references' {@code <=} threshold
 * @param targets which parameters are pruned
 * @param pattern unstructured (default) or N:M
 */
public record PruningSpec(Criterion criterion, double sparsity, Scope scope, ThresholdMode thresholdMode,
    Targets targets, SparsityPattern pattern) {
  /**
   * Validates the spec.
   *
   * @throws IllegalArgumentException naming the sparsity value unless {@code 0 <= sparsity < 1},
   *     or, for an N:M pattern, naming the pattern if the sparsity differs from the pattern's, the
   *     scope is GLOBAL or the mode is REFERENCE
   */
  public PruningSpec {
    Objects.requireNonNull(criterion, "criterion");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(thresholdMode, "thresholdMode");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(pattern, "pattern");
    MaskSelector.requireSparsity(sparsity);
    if (pattern instanceof NmPattern nm) {
      if (Math.abs(sparsity - nm.sparsity()) > 1e-12) {
        throw new IllegalArgumentException("sparsity " + sparsity + " contradicts N:M pattern " + nm
            + ", whose sparsity is " + nm.sparsity());
      }
      if (scope == Scope.GLOBAL) {
        throw new IllegalArgumentException("N:M pattern " + nm + " selects within groups of each row; scope GLOBAL"
            + " does not apply (use LAYER or ROW)");
      }
      if (thresholdMode != ThresholdMode.EXACT) {
        throw new IllegalArgumentException("N:M pattern " + nm + " prunes an exact count per group; threshold mode "
            + thresholdMode + " does not apply (use EXACT)");
      }
    }
  }

  /** An unstructured spec (the form before patterns existed). */
  public PruningSpec(Criterion criterion, double sparsity, Scope scope, ThresholdMode thresholdMode,
      Targets targets) {
    this(criterion, sparsity, scope, thresholdMode, targets, SparsityPattern.unstructured());
  }

  /** An exact-count unstructured spec over the default targets, in the criterion's default scope. */
  public static PruningSpec of(String criterion, double sparsity) {
    return builder().setCriterion(criterion).setSparsity(sparsity).build();
  }

  /** An exact-count unstructured spec over the default targets. */
  public static PruningSpec of(String criterion, double sparsity, Scope scope) {
    return builder().setCriterion(criterion).setSparsity(sparsity).optScope(scope).build();
  }

  /** An N:M spec over the default targets; the sparsity is the pattern's. */
  public static PruningSpec of(String criterion, NmPattern pattern) {
    return builder().setCriterion(criterion).optPattern(pattern).build();
  }

  /**
   * A builder: criterion and sparsity are required (the sparsity may be left out with an N:M
   * pattern); scope defaults to the criterion's {@link Criterion#defaultScope()} (ROW for an N:M
   * pattern), mode EXACT, default targets, unstructured.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PruningSpec}. */
  public static final class Builder {
    private Criterion criterion;
    private Double sparsity;
    private Scope scope;
    private ThresholdMode mode = ThresholdMode.EXACT;
    private Targets targets = Targets.defaults();
    private SparsityPattern pattern = SparsityPattern.unstructured();

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

    /** Required (unless an N:M pattern is given): the sparsity in {@code [0, 1)}. */
    public Builder setSparsity(double sparsity) {
      this.sparsity = sparsity;
      return this;
    }

    /** Optional: the scope (default the criterion's {@link Criterion#defaultScope()}). */
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

    /** Optional: the mask pattern (default unstructured). */
    public Builder optPattern(SparsityPattern pattern) {
      this.pattern = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws IllegalArgumentException if the criterion or sparsity is missing or invalid, or the
     *     parts contradict each other (see {@link PruningSpec})
     */
    public PruningSpec build() {
      if (criterion == null) {
        throw new IllegalArgumentException("pruning spec needs a criterion; known criteria: " + Criteria.names());
      }
      double s;
      Scope sc = scope;
      if (pattern instanceof NmPattern nm) {
        s = sparsity == null ? nm.sparsity() : sparsity;
        if (sc == null) {
          sc = Scope.ROW;
        }
      } else {
        if (sparsity == null) {
          throw new IllegalArgumentException("pruning spec needs a sparsity in [0, 1)");
        }
        s = sparsity;
        if (sc == null) {
          sc = Objects.requireNonNull(criterion.defaultScope(), "defaultScope of criterion " + criterion.name());
        }
      }
      return new PruningSpec(criterion, s, sc, mode, targets, pattern);
    }
  }
}
