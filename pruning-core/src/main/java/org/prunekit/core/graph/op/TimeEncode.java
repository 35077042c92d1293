package org.prunekit.core.graph.op;

import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.Shape;

/**
 * Makes a time-folded tensor {@code [T*B, ...]} (the layout of {@link Lif}) from an input without
 * one: the entry point of a spiking network.
 *
 * <ul>
 *   <li>{@link Mode#REPEAT}: direct encoding, {@code [B, ...] -> [T*B, ...]}, the same input at
 *       every step (the first layer then acts as the encoder).
 *   <li>{@link Mode#UNFOLD}: the input already has an explicit time axis 1, {@code [B, T, ...] ->
 *       [T*B, ...]} (rate- or event-coded inputs prepared outside the graph, e.g. DVS frames).
 * </ul>
 *
 * @param timesteps T ({@code >= 1})
 * @param mode where the steps come from
 */
public record TimeEncode(int timesteps, Mode mode) implements Op {
  /** Where the steps come from. */
  public enum Mode {
    /** The same input at every step. */
    REPEAT,
    /** Axis 1 of the input is time, of length T. */
    UNFOLD
  }

  /** Validates the fields. */
  public TimeEncode {
    if (timesteps < 1) {
      throw new IllegalArgumentException("timeencode timesteps must be >= 1, got " + timesteps);
    }
    Objects.requireNonNull(mode, "mode");
  }

  @Override
  public String type() {
    return "timeencode";
  }

  @Override
  public Shape inferShape(String node, List<Shape> in) {
    Shape x = in.get(0);
    if (mode == Mode.REPEAT) {
      ShapeChecks.require(x.rank() >= 2, node, in, "timeencode needs [batch, features...], got rank " + x.rank());
      return x.with(0, Math.multiplyExact(x.get(0), timesteps));
    }
    ShapeChecks.require(x.rank() >= 3, node, in, "timeencode UNFOLD needs [batch, T, features...], got rank "
        + x.rank());
    ShapeChecks.require(x.get(1) == timesteps, node, in, "timeencode UNFOLD with " + timesteps
        + " timesteps needs axis 1 of length " + timesteps + ", got " + x.get(1));
    int[] d = new int[x.rank() - 1];
    d[0] = Math.multiplyExact(x.get(0), timesteps);
    for (int i = 2; i < x.rank(); i++) {
      d[i - 1] = x.get(i);
    }
    return new Shape(d);
  }
}
