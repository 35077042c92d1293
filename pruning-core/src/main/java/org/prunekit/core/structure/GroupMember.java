package org.prunekit.core.structure;

import java.util.Arrays;
import java.util.Objects;

/**
 * One parameter slice of a {@link PruningGroup}: which indices along one axis of one parameter
 * belong to each unit of the group.
 *
 * <p>Unit {@code u} of the group owns indices {@link #indices(int) indices(u)} along {@link
 * #axis()} of {@link #parameter()}; a unit may own none of them (for example a branch of a concat
 * that only covers part of a residual group).
 */
public final class GroupMember {
  /** Whether a slice computes the unit's activation or reads it. */
  public enum Direction {
    /** The slice produces the unit: weight rows, biases, norm parameters, embedding columns. */
    OUT,
    /** The slice consumes the unit: input columns of the next layer. */
    IN
  }

  private final String parameter;
  private final int axis;
  private final Direction direction;
  private final int[][] indices;

  /**
   * Creates a member.
   *
   * @param parameter qualified parameter name {@code node.param}
   * @param axis the axis of the parameter the indices run along
   * @param direction whether the slice produces or consumes the unit
   * @param indices per unit, the sorted indices along {@code axis} (copied)
   * @throws IllegalArgumentException if an index is negative or a unit's indices are not sorted
   */
  public GroupMember(String parameter, int axis, Direction direction, int[][] indices) {
    this.parameter = Objects.requireNonNull(parameter, "parameter");
    this.direction = Objects.requireNonNull(direction, "direction");
    if (axis < 0) {
      throw new IllegalArgumentException("member '" + parameter + "': negative axis " + axis);
    }
    this.axis = axis;
    this.indices = new int[indices.length][];
    for (int u = 0; u < indices.length; u++) {
      int[] ix = indices[u].clone();
      for (int i = 0; i < ix.length; i++) {
        if (ix[i] < 0 || (i > 0 && ix[i] <= ix[i - 1])) {
          throw new IllegalArgumentException(
              "member '" + parameter + "' unit " + u + ": indices " + Arrays.toString(ix) + " must be sorted and >= 0");
        }
      }
      this.indices[u] = ix;
    }
  }

  /** The qualified parameter name {@code node.param}. */
  public String parameter() {
    return parameter;
  }

  /** The node owning the parameter. */
  public String node() {
    return parameter.substring(0, parameter.lastIndexOf('.'));
  }

  /** The axis of the parameter the indices run along. */
  public int axis() {
    return axis;
  }

  /** Whether the slice produces or consumes the unit. */
  public Direction direction() {
    return direction;
  }

  /** Number of units of the group (the length of the mapping). */
  public int units() {
    return indices.length;
  }

  /** The sorted indices along {@link #axis()} that unit {@code unit} owns (a copy). */
  public int[] indices(int unit) {
    return indices[unit].clone();
  }

  /** Number of indices along the axis that belong to this group. */
  public int count() {
    int n = 0;
    for (int[] ix : indices) {
      n += ix.length;
    }
    return n;
  }

  /**
   * The mapping unit to indices as compact text: {@code u -> [u]}, {@code u -> [u+4]}, {@code u ->
   * [u*16 .. u*16+15]}, or an explicit list {@code 0->[0,1] 1->[2,3]} when no formula fits.
   */
  public String mappingText() {
    return MappingText.of(indices);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupMember m && m.parameter.equals(parameter) && m.axis == axis
        && m.direction == direction && Arrays.deepEquals(m.indices, indices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(parameter, axis, direction, Arrays.deepHashCode(indices));
  }

  @Override
  public String toString() {
    return parameter + " axis " + axis + " " + direction + ": " + mappingText();
  }
}
