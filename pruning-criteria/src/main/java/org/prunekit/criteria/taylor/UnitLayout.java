package org.prunekit.criteria.taylor;

import org.prunekit.core.graph.Shape;

/**
 * How the elements of a node's output {@code [batch, ...]} group into prunable units (structures):
 * the first axis is always the sample (batch) axis.
 *
 * <ul>
 *   <li>{@link #channels()}: conv channels, axis 1 of {@code [N, C, spatial...]} (one unit per
 *       {@code C}, summing over positions).
 *   <li>{@link #neurons()}: linear / MLP neurons, the last axis of {@code [N, ..., F]} (summing
 *       over tokens).
 *   <li>{@link #heads(int, int)}: attention heads, the last axis of {@code [N, ..., H*D]} split
 *       into {@code H} consecutive slices of {@code D} (the concatenated head outputs before the
 *       output projection; summing over tokens and a head's dims).
 * </ul>
 *
 * @param kind which grouping
 * @param numHeads for {@link Kind#HEAD}, the number of heads; otherwise 0
 * @param headDim for {@link Kind#HEAD}, the dims per head; otherwise 0
 */
public record UnitLayout(Kind kind, int numHeads, int headDim) {
  /** The grouping kinds. */
  public enum Kind {
    /** Axis 1 of {@code [N, C, ...]}. */
    CHANNEL,
    /** The last axis. */
    NEURON,
    /** The last axis in slices of {@code headDim}. */
    HEAD
  }

  /**
   * Validates the head geometry.
   *
   * @throws IllegalArgumentException unless HEAD has positive heads and head dim, and the others
   *     have zeros
   */
  public UnitLayout {
    java.util.Objects.requireNonNull(kind, "kind");
    if (kind == Kind.HEAD ? (numHeads <= 0 || headDim <= 0) : (numHeads != 0 || headDim != 0)) {
      throw new IllegalArgumentException("unit layout " + kind + ": numHeads/headDim must be positive for HEAD and 0"
          + " otherwise, got " + numHeads + "/" + headDim);
    }
  }

  /** Conv channels (axis 1). */
  public static UnitLayout channels() {
    return new UnitLayout(Kind.CHANNEL, 0, 0);
  }

  /** Neurons (last axis). */
  public static UnitLayout neurons() {
    return new UnitLayout(Kind.NEURON, 0, 0);
  }

  /** {@code numHeads} heads of {@code headDim} along the last axis. */
  public static UnitLayout heads(int numHeads, int headDim) {
    return new UnitLayout(Kind.HEAD, numHeads, headDim);
  }

  /**
   * Number of units in an output of shape {@code s}.
   *
   * @throws IllegalArgumentException naming the node if the shape does not fit this layout
   */
  public int units(String node, Shape s) {
    if (s.rank() < 2) {
      throw new IllegalArgumentException("output of '" + node + "' has shape " + s
          + "; unit scores need [batch, ...] with at least 2 axes");
    }
    return switch (kind) {
      case CHANNEL -> s.get(1);
      case NEURON -> s.get(s.rank() - 1);
      case HEAD -> {
        int f = s.get(s.rank() - 1);
        if (f != numHeads * headDim) {
          throw new IllegalArgumentException("output of '" + node + "' has shape " + s + ": last axis " + f
              + " is not " + numHeads + " heads x " + headDim + " dims");
        }
        yield numHeads;
      }
    };
  }

  @Override
  public String toString() {
    return kind == Kind.HEAD ? "heads(" + numHeads + "x" + headDim + ")" : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
