package org.prunekit.dynamic.probeflow.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * (condition, action chunk) pairs cut from demonstrations: the condition is the position at step
 * {@code s} ({@link Condition#POSITION}, the default) or the position and velocity there ({@link
 * Condition#POSITION_VELOCITY}), the chunk the velocities of steps {@code s .. s+H-1} flattened as {@code [v_s(xyz),
 * v_{s+1}(xyz), ...]}; steps past a demo's end are zero (each demo ends at rest at its attractor).
 *
 * @param horizon H
 * @param conditions {@code [n][3]} positions in metres, or {@code [n][6]} positions and velocities
 * @param actions {@code [n][3H]} velocities in m/s
 * @param demoIds the demo each pair was cut from
 */
public record ActionChunks(int horizon, float[][] conditions, float[][] actions, int[] demoIds) {
  /** Validates the sizes. */
  public ActionChunks {
    Objects.requireNonNull(conditions, "conditions");
    Objects.requireNonNull(actions, "actions");
    Objects.requireNonNull(demoIds, "demoIds");
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
    }
    if (conditions.length != actions.length || conditions.length != demoIds.length) {
      throw new IllegalArgumentException("conditions, actions and demoIds differ in length: " + conditions.length
          + ", " + actions.length + ", " + demoIds.length);
    }
  }

  /** What the head is conditioned on. */
  public enum Condition {
    /** The current position (3 values, metres). */
    POSITION,
    /** The current position and velocity (6 values). */
    POSITION_VELOCITY
  }

  /** Cuts position-conditioned chunks from every {@code stride}-th step of each demo. */
  public static ActionChunks cut(List<DemoTrajectory> demos, int horizon, int stride) {
    return cut(demos, horizon, stride, Condition.POSITION);
  }

  /**
   * Cuts chunks from every {@code stride}-th step of each demo.
   *
   * @throws IllegalArgumentException if horizon or stride is < 1, or there are no demos
   */
  public static ActionChunks cut(List<DemoTrajectory> demos, int horizon, int stride, Condition condition) {
    if (horizon < 1 || stride < 1) {
      throw new IllegalArgumentException("horizon and stride must be >= 1, got " + horizon + ", " + stride);
    }
    if (demos.isEmpty()) {
      throw new IllegalArgumentException("no demonstrations to cut chunks from");
    }
    List<float[]> c = new ArrayList<>();
    List<float[]> a = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (DemoTrajectory d : demos) {
      for (int s = 0; s < d.steps(); s += stride) {
        float[] chunk = new float[3 * horizon];
        for (int h = 0; h < horizon && s + h < d.steps(); h++) {
          System.arraycopy(d.velocity()[s + h], 0, chunk, 3 * h, 3);
        }
        if (condition == Condition.POSITION) {
          c.add(d.position()[s].clone());
        } else {
          float[] pv = new float[6];
          System.arraycopy(d.position()[s], 0, pv, 0, 3);
          System.arraycopy(d.velocity()[s], 0, pv, 3, 3);
          c.add(pv);
        }
        a.add(chunk);
        ids.add(d.id());
      }
    }
    return new ActionChunks(horizon, c.toArray(new float[0][]), a.toArray(new float[0][]),
        ids.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Number of pairs. */
  public int size() {
    return conditions.length;
  }
}
