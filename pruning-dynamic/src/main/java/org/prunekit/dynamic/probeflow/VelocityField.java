package org.prunekit.dynamic.probeflow;

/**
 * A batched velocity field {@code v(x, t | condition)} of a flow-matching model: integrating {@code
 * dx/dt = v} from noise at {@code t = 0} to {@code t = 1} yields a sample (an action chunk).
 *
 * <p>Batches are plain {@code float[batch][dimension]} arrays: the solvers do their few vector
 * updates on the heap and hand one batch per evaluation to the network, so a DJL-backed field pays
 * one copy in and one copy out per evaluation, which is all the solvers need.
 *
 * <p>Implementations must return a new {@code [batch][dimension()]} array of finite values and
 * must not modify {@code x} or {@code condition}; the solvers check the shape and the values after
 * every evaluation and throw {@link InvalidVelocityException} naming the step otherwise.
 */
public interface VelocityField {
  /** The length of one state vector (an action chunk flattened: horizon × action dimension). */
  int dimension();

  /**
   * Evaluates the field.
   *
   * @param x the states, {@code [batch][dimension()]}
   * @param t the time in [0, 1]
   * @param condition per-sample conditioning ({@code [batch][*]}), or {@code null} for none
   * @return the velocities, {@code [batch][dimension()]}
   */
  float[][] velocity(float[][] x, float t, float[][] condition);

  /** Multiply-accumulates of one evaluation on {@code batch} samples; 0 when unknown. */
  default long macsPerEvaluation(int batch) {
    return 0;
  }

  /** Bytes read and written by one evaluation on {@code batch} samples; 0 when unknown. */
  default long bytesPerEvaluation(int batch) {
    return 0;
  }
}
