package org.prunekit.dynamic.probeflow.policy;

/**
 * What the head's network outputs; either way the head is used as a velocity field {@code v(x, t |
 * c)} of the same rectified flow {@code x_t = (1 - t) x0 + t x1}.
 */
public enum Parameterization {
  /** The network outputs the velocity directly; trained on {@code |v - (x1 - x0)|²}. */
  VELOCITY,
  /**
   * The network outputs the chunk it expects at {@code t = 1}, {@code x̂1}; the velocity is {@code
   * (x̂1 - x_t) / max(1 - t, 0.01)}; trained on {@code |x̂1 - x1|²} (the velocity loss weighted by
   * {@code (1 - t)²}). A head that predicts the same {@code x̂1} all along yields a straight flow.
   */
  ENDPOINT;

  /** The smallest {@code 1 - t} used by {@link #ENDPOINT} (50-step Euler never evaluates closer to 1). */
  public static final float MIN_REMAINING_TIME = 0.01f;
}
