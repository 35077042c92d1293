package org.prunekit.core.graph.op;

import java.util.List;
import org.prunekit.core.graph.Shape;

/**
 * Averages a time-folded tensor over its {@code timesteps} steps, {@code [T*B, ...] -> [B, ...]}
 * (see {@link Lif} for the layout): the rate read-out of a spiking network.
 *
 * @param timesteps T ({@code >= 1})
 */
public record TimeMean(int timesteps) implements Op {
  /** Validates the step count. */
  public TimeMean {
    if (timesteps < 1) {
      throw new IllegalArgumentException("timemean timesteps must be >= 1, got " + timesteps);
    }
  }

  @Override
  public String type() {
    return "timemean";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    ShapeChecks.require(x.rank() >= 2, node, in, "timemean needs [T*batch, features...], got rank " + x.rank());
    ShapeChecks.require(x.get(0) % timesteps == 0, node, in, "timemean with " + timesteps
        + " timesteps needs a first axis of T*batch, got " + x.get(0));
    return x.with(0, x.get(0) / timesteps);
  }
}
