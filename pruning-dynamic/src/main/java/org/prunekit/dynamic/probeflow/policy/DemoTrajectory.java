package org.prunekit.dynamic.probeflow.policy;

import java.util.Objects;

/**
 * One demonstration: positions and velocities per time step.
 *
 * @param id the demo index in its file
 * @param position {@code [steps][3]} positions in metres
 * @param velocity {@code [steps][3]} velocities in m/s
 */
public record DemoTrajectory(int id, float[][] position, float[][] velocity) {
  /** Validates that positions and velocities have the same number of 3-D steps. */
  public DemoTrajectory {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(velocity, "velocity");
    if (position.length == 0 || position.length != velocity.length) {
      throw new IllegalArgumentException("demo " + id + ": " + position.length + " positions but "
          + velocity.length + " velocities");
    }
    for (int s = 0; s < position.length; s++) {
      if (position[s].length != 3 || velocity[s].length != 3) {
        throw new IllegalArgumentException("demo " + id + " step " + s + ": expected 3-D position and velocity");
      }
    }
  }

  /** Number of time steps. */
  public int steps() {
    return position.length;
  }
}
