package org.prunekit.core.graph;

import java.util.Objects;
import org.prunekit.core.tensor.Tensor;

/**
 * A named parameter tensor of a node, with its role, layout and an optional element mask.
 *
 * <p>The value lives on the Java heap. A mask has the value's shape, holds 1 for kept and 0 for
 * pruned elements, and stays attached after it is applied, so that training can re-apply it and
 * pruned weights never regrow. {@link #setValue} and {@link #setMask} validate shapes, so a
 * parameter never holds a tensor that does not fit its spec.
 */
public final class Parameter {
  private final String nodeName;
  private final ParamSpec spec;
  private Tensor value;
  private Tensor mask;

  /** Creates a parameter; {@code value} must have the spec's shape. */
  public Parameter(String nodeName, ParamSpec spec, Tensor value) {
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.spec = Objects.requireNonNull(spec, "spec");
    setValue(value);
  }

  /** The owning node's name. */
  public String nodeName() {
    return nodeName;
  }

  /** Local name, e.g. {@code weight}. */
  public String name() {
    return spec.name();
  }

  /** Fully qualified name {@code node.param}, unique in a graph. */
  public String qualifiedName() {
    return nodeName + "." + spec.name();
  }

  /** The declared spec. */
  public ParamSpec spec() {
    return spec;
  }

  /** The role. */
  public ParamRole role() {
    return spec.role();
  }

  /** The shape. */
  public Shape shape() {
    return spec.shape();
  }

  /** The current value (shared, not copied). */
  public Tensor value() {
    return value;
  }

  /** Replaces the value. */
  public void setValue(Tensor newValue) {
    Objects.requireNonNull(newValue, "value");
    if (!newValue.shape().equals(spec.shape())) {
      throw new IllegalArgumentException(
          "parameter '" + qualifiedName() + "' has shape " + spec.shape() + ", got " + newValue.shape());
    }
    this.value = newValue;
  }

  /** The mask (1 = keep), or {@code null} if none is attached. */
  public Tensor mask() {
    return mask;
  }

  /** True if a mask is attached. */
  public boolean hasMask() {
    return mask != null;
  }

  /**
   * Attaches a mask (or removes it with {@code null}). Values must be 0 or 1.
   *
   * @throws IllegalArgumentException if the shape differs or a value is not 0/1
   */
  public void setMask(Tensor newMask) {
    if (newMask != null) {
      if (!newMask.shape().equals(spec.shape())) {
        throw new IllegalArgumentException(
            "mask for '" + qualifiedName() + "' has shape " + newMask.shape() + ", parameter has " + spec.shape());
      }
      float[] m = newMask.data();
      for (int i = 0; i < m.length; i++) {
        if (m[i] != 0f && m[i] != 1f) {
          throw new IllegalArgumentException(
              "mask for '" + qualifiedName() + "' holds " + m[i] + " at index " + i + "; masks hold 0 or 1");
        }
      }
    }
    this.mask = newMask;
  }

  /** Multiplies the value by the mask in place (no-op without a mask). */
  public void applyMask() {
    if (mask == null) {
      return;
    }
    float[] v = value.data();
    float[] m = mask.data();
    for (int i = 0; i < v.length; i++) {
      if (m[i] == 0f) {
        v[i] = 0f;
      }
    }
  }

  /** Number of elements. */
  public long numel() {
    return spec.shape().size();
  }

  /** A deep copy (value and mask) for another graph or the same node name. */
  public Parameter copy() {
    Parameter p = new Parameter(nodeName, spec, value.copy());
    if (mask != null) {
      p.mask = mask.copy();
    }
    return p;
  }

  @Override
  public String toString() {
    return qualifiedName() + spec.shape() + (mask != null ? " (masked)" : "");
  }
}
