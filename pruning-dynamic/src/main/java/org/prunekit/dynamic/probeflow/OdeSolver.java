package org.prunekit.dynamic.probeflow;

/**
 * Integrates a {@link VelocityField} from {@code t = 0} (the noise {@code x0}) to {@code t = 1}.
 * Solvers are immutable and thread-safe; the field decides whether concurrent calls are safe.
 */
public interface OdeSolver {
  /** A short name for reports, e.g. {@code "euler-50"} or {@code "probeflow"}. */
  String name();

  /**
   * Integrates {@code field} from {@code x0}.
   *
   * @param field the velocity field
   * @param x0 the start states {@code [batch][field.dimension()]} (not modified)
   * @param condition per-sample conditioning, {@code [batch][*]}, or {@code null}
   * @return the end states with the work spent
   * @throws IllegalArgumentException if {@code x0} or {@code condition} is malformed
   * @throws InvalidVelocityException if the field returns a non-finite value or a wrong shape
   */
  SolveResult solve(VelocityField field, float[][] x0, float[][] condition);
}
