package org.prunekit.criteria.structured;

/**
 * A structural target that cannot be met under the spec's constraints; thrown before anything is
 * changed. {@link #constraint()} says which constraint binds, the message says by how much.
 */
public class UnmeetableTargetException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The constraint that stops the target from being met. */
  public enum Constraint {
    /** The graph has no group that may be pruned (all unprunable or left alone). */
    NO_PRUNABLE_GROUP,
    /** Parts that cannot be pruned (unprunable groups, left-alone groups, ops without units) cost too much. */
    UNPRUNABLE_PARTS,
    /** Every group must keep at least one unit. */
    NEVER_EMPTY,
    /** The maximum ratio per group. */
    MAX_RATIO,
    /** Rounding remaining widths up to multiples of {@code roundTo}. */
    ROUND_TO
  }

  private final Constraint constraint;

  /**
   * Creates the exception.
   *
   * @param constraint the binding constraint
   * @param message what cannot be met and why
   */
  public UnmeetableTargetException(Constraint constraint, String message) {
    super(message);
    this.constraint = constraint;
  }

  /** The binding constraint. */
  public Constraint constraint() {
    return constraint;
  }
}
