package org.prunekit.dynamic.probeflow;

/**
 * A {@link VelocityField} returned something a solver cannot use: a non-finite value or a result
 * of the wrong shape. The message names the solver, the step, the time and the offending sample.
 */
public final class InvalidVelocityException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with its message. */
  public InvalidVelocityException(String message) {
    super(message);
  }
}
