package org.prunekit.core.mask;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;

/**
 * An immutable set of 0/1 masks keyed by qualified parameter name ({@code node.param}).
 *
 * <p>Every mask holds only 0 (prune) and 1 (keep); this is checked on construction. Whether the
 * masks fit a particular graph (names exist, shapes match) is checked by {@link
 * #validateAgainst(Graph)}, which {@link Masks#apply} calls before it changes anything.
 *
 * <p>The set owns private copies of its tensors: {@link #mask(String)} returns a fresh copy, so no
 * caller can change a mask after the set was built. Iteration order is insertion order.
 */
public final class MaskSet {
  private static final MaskSet EMPTY = new MaskSet(new LinkedHashMap<>());

  private final Map<String, Tensor> masks;

  private MaskSet(LinkedHashMap<String, Tensor> owned) {
    this.masks = Collections.unmodifiableMap(owned);
  }

  /** The empty mask set. */
  public static MaskSet empty() {
    return EMPTY;
  }

  /**
   * A mask set holding copies of {@code masks}, in the map's iteration order.
   *
   * @throws IllegalArgumentException naming the parameter and index of a value that is not 0 or 1
   */
  public static MaskSet of(Map<String, Tensor> masks) {
    Objects.requireNonNull(masks, "masks");
    LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : masks.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "parameter name");
      Tensor t = Objects.requireNonNull(e.getValue(), () -> "mask for '" + name + "'");
      checkBinary(name, t);
      copy.put(name, t.copy());
    }
    return new MaskSet(copy);
  }

  /**
   * Internal construction path for PruneKit's own mask producers (e.g. {@code MaskSelector}): a
   * mask set that takes ownership of {@code masks}' tensors <em>without copying them and without
   * re-checking</em> that they hold only 0 and 1 (with assertions enabled, {@code -ea}, it still
   * checks). A mask of an LLM layer is hundreds of MB, and both steps cost as much as computing it.
   *
   * <p>Not for user-supplied masks: use {@link #of(Map)} or {@link #builder()}, which validate and
   * copy. The caller must have built every tensor itself, hold only 0/1 in it, and neither keep
   * nor change it afterwards.
   *
   * @throws NullPointerException if a name or tensor is null
   */
  public static MaskSet adoptTrusted(Map<String, Tensor> masks) {
    Objects.requireNonNull(masks, "masks");
    LinkedHashMap<String, Tensor> owned = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : masks.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "parameter name");
      Tensor t = Objects.requireNonNull(e.getValue(), () -> "mask for '" + name + "'");
      assert isBinary(name, t);
      owned.put(name, t);
    }
    return new MaskSet(owned);
  }

  private static boolean isBinary(String name, Tensor t) {
    checkBinary(name, t);
    return true;
  }

  /** A builder that adds masks one by one. */
  public static Builder builder() {
    return new Builder();
  }

  /** The masks currently attached to {@code graph}'s parameters (copies), in graph order. */
  public static MaskSet attachedTo(Graph graph) {
    LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
    for (Parameter p : graph.parameters()) {
      if (p.hasMask()) {
        m.put(p.qualifiedName(), p.mask().copy());
      }
    }
    return new MaskSet(m);
  }

  private static void checkBinary(String name, Tensor t) {
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      if (d[i] != 0f && d[i] != 1f) {
        throw new IllegalArgumentException(
            "mask for '" + name + "' holds " + d[i] + " at index " + i + "; masks hold only 0 (prune) or 1 (keep)");
      }
    }
  }

  /** The qualified parameter names, in insertion order. */
  public Set<String> names() {
    return masks.keySet();
  }

  /** True if a mask for {@code name} is present. */
  public boolean contains(String name) {
    return masks.containsKey(name);
  }

  /** Number of masks. */
  public int size() {
    return masks.size();
  }

  /** True if there are no masks. */
  public boolean isEmpty() {
    return masks.isEmpty();
  }

  /**
   * A copy of the mask for {@code name}.
   *
   * @throws IllegalArgumentException if there is none, listing the names present
   */
  public Tensor mask(String name) {
    return internal(name).copy();
  }

  /** The mask for {@code name} without copying; callers in this package must not mutate it. */
  Tensor internal(String name) {
    Tensor t = masks.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no mask for '" + name + "'; masks present: " + masks.keySet());
    }
    return t;
  }

  /** Number of zeros (pruned entries) in the mask for {@code name}. */
  public long zeros(String name) {
    return internal(name).countZeros();
  }

  /** Total number of zeros over all masks. */
  public long totalZeros() {
    long z = 0;
    for (Tensor t : masks.values()) {
      z += t.countZeros();
    }
    return z;
  }

  /** Total number of mask elements. */
  public long totalElements() {
    long n = 0;
    for (Tensor t : masks.values()) {
      n += t.size();
    }
    return n;
  }

  /**
   * The element-wise AND of this set and {@code other}: a parameter masked in both keeps an entry
   * only if both keep it; a parameter masked in one keeps that one's mask.
   *
   * @throws IllegalArgumentException if both hold masks of different shapes for one parameter
   */
  public MaskSet and(MaskSet other) {
    LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : masks.entrySet()) {
      Tensor mine = e.getValue();
      Tensor theirs = other.masks.get(e.getKey());
      if (theirs == null) {
        m.put(e.getKey(), mine.copy());
        continue;
      }
      if (!mine.shape().equals(theirs.shape())) {
        throw new IllegalArgumentException("cannot AND masks for '" + e.getKey() + "': shapes "
            + mine.shape() + " and " + theirs.shape());
      }
      float[] a = mine.data();
      float[] b = theirs.data();
      float[] r = new float[a.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = (a[i] == 1f && b[i] == 1f) ? 1f : 0f;
      }
      m.put(e.getKey(), new Tensor(mine.shape(), r));
    }
    for (Map.Entry<String, Tensor> e : other.masks.entrySet()) {
      m.putIfAbsent(e.getKey(), e.getValue().copy());
    }
    return new MaskSet(m);
  }

  /**
   * Checks that every name is a parameter of {@code graph} and every mask has its shape.
   *
   * @throws IllegalArgumentException naming the first parameter at fault
   */
  public void validateAgainst(Graph graph) {
    for (Map.Entry<String, Tensor> e : masks.entrySet()) {
      Parameter p = find(graph, e.getKey());
      if (!p.shape().equals(e.getValue().shape())) {
        throw new IllegalArgumentException("mask for '" + e.getKey() + "' has shape " + e.getValue().shape()
            + " but the parameter has shape " + p.shape());
      }
    }
  }

  /** The parameter called {@code name} in {@code graph}, with a message naming the mask at fault. */
  static Parameter find(Graph graph, String name) {
    int dot = name.lastIndexOf('.');
    if (dot > 0 && graph.hasNode(name.substring(0, dot))) {
      Node n = graph.node(name.substring(0, dot));
      Parameter p = n.param(name.substring(dot + 1));
      if (p != null) {
        return p;
      }
      throw new IllegalArgumentException("mask names parameter '" + name + "', but node '" + n.name()
          + "' has only " + n.params().keySet());
    }
    throw new IllegalArgumentException(
        "mask names parameter '" + name + "', but the graph has no node '" + (dot > 0 ? name.substring(0, dot) : name)
            + "' (qualified names are node.param)");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MaskSet other) || !masks.keySet().equals(other.masks.keySet())) {
      return false;
    }
    for (Map.Entry<String, Tensor> e : masks.entrySet()) {
      if (!e.getValue().bitEquals(other.masks.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = masks.keySet().hashCode();
    for (Tensor t : masks.values()) {
      h = 31 * h + java.util.Arrays.hashCode(t.data());
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MaskSet{");
    boolean first = true;
    for (Map.Entry<String, Tensor> e : masks.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(e.getKey()).append(e.getValue().shape()).append(" zeros=").append(e.getValue().countZeros());
    }
    return sb.append('}').toString();
  }

  /** Collects masks, then builds an immutable {@link MaskSet}. */
  public static final class Builder {
    private final LinkedHashMap<String, Tensor> masks = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds (a copy of) the mask for {@code name}.
     *
     * @throws IllegalArgumentException if {@code name} was already added or a value is not 0/1
     */
    public Builder put(String name, Tensor mask) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(mask, "mask");
      if (masks.containsKey(name)) {
        throw new IllegalArgumentException("mask for '" + name + "' added twice");
      }
      checkBinary(name, mask);
      masks.put(name, mask.copy());
      return this;
    }

    /** Builds the set. */
    public MaskSet build() {
      return new MaskSet(new LinkedHashMap<>(masks));
    }
  }
}
