package org.prunekit.criteria;

import java.util.Set;
import org.prunekit.core.tensor.Tensor;

/**
 * An importance score for the elements of one parameter: lower scores are pruned first.
 *
 * <p>A criterion only scores; how many elements are pruned and where (per layer, per row, one
 * global threshold, N:M groups) is decided by the selection step ({@link
 * org.prunekit.criteria.select.MaskSelector}), so every criterion works with every scope.
 * Implementations must be stateless (or at least thread-safe) and must not modify the weight,
 * calibration statistics or gradients they are given.
 *
 * <h2>How to add a criterion</h2>
 *
 * <ol>
 *   <li><b>Implement</b> this interface in a public class with a public no-argument constructor
 *       (that is what {@link java.util.ServiceLoader} instantiates). {@link #score} returns a new
 *       {@link Tensor} with the weight's shape ({@link ScoringContext#weightShape()}); a NaN score
 *       is rejected by the pruner. Read calibration statistics and gradients from the context with
 *       {@link ScoringContext#requireInputColumnSquaredNorms(String)} / {@link
 *       ScoringContext#requireGradient(String)}, and declare them in {@link #requirements()} so a
 *       missing input is reported before any model is changed.
 *   <li><b>Register</b> it: add one line with the class's fully qualified name to
 *       {@code src/main/resources/META-INF/services/org.prunekit.criteria.Criterion} of your module
 *       (this module's file lists the built-in criteria).
 *   <li><b>Pick a short name</b> — lower case, no spaces, unique (e.g. {@code "magnitude"},
 *       {@code "wanda"}) — and return it from {@link #name()}. {@link Criteria#byName(String)} then
 *       finds it; the fully qualified class name works too, even without registration.
 *   <li><b>Test with hand values</b>: a weight of a few elements whose scores you computed on
 *       paper (the spec's worked examples), asserting the score tensor and the mask {@link
 *       Pruning#prune} produces; plus an invariant of the method (e.g. scale invariance) and a
 *       {@code Criteria.byName} lookup of your short name.
 * </ol>
 *
 * <p>The built-in {@link org.prunekit.criteria.magnitude.MagnitudeCriterion} is the smallest
 * complete example.
 */
public interface Criterion {

  /** What a criterion needs besides the weight. */
  enum Requirement {
    /** Per-input-column sums of squared calibration activations ({@code ||X_j||^2}). */
    INPUT_COLUMN_NORMS,
    /** The loss gradient with respect to the weight. */
    GRADIENT
  }

  /** The short registry name, lower case without spaces, e.g. {@code "magnitude"}. */
  String name();

  /**
   * Scores every element of the parameter described by {@code context}.
   *
   * @return a new tensor with {@code context.weightShape()}; lower means prune first
   * @throws IllegalArgumentException naming the parameter if a required input is missing or invalid
   */
  Tensor score(ScoringContext context);

  /** Inputs this criterion needs besides the weight; none by default. */
  default Set<Requirement> requirements() {
    return Set.of();
  }

  /**
   * The scope the method's reference uses, which {@link PruningSpec.Builder} picks when no scope is
   * given: {@link Scope#LAYER} by default; e.g. Wanda compares within output rows ({@link
   * Scope#ROW}) and LAMP across layers ({@link Scope#GLOBAL}).
   */
  default Scope defaultScope() {
    return Scope.LAYER;
  }
}
