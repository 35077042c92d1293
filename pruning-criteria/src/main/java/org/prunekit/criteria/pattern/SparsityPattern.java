package org.prunekit.criteria.pattern;

/**
 * The shape a mask must have: {@link Unstructured} (any elements, as many as the sparsity and
 * scope say) or {@link NmPattern} (a fixed number kept in every group of M consecutive input
 * columns of every row).
 */
public sealed interface SparsityPattern permits SparsityPattern.Unstructured, NmPattern {

  /** The unstructured pattern (the default). */
  static Unstructured unstructured() {
    return Unstructured.INSTANCE;
  }

  /**
   * Parses {@code "unstructured"} or an N:M string in the <b>reference</b> reading ({@code "2:4"}
   * = 2 pruned of every 4, see {@link NmPattern#fromReference(String)}).
   *
   * @throws IllegalArgumentException naming the text if it is neither
   */
  static SparsityPattern parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("sparsity pattern is empty; use 'unstructured' or N:M such as '2:4'");
    }
    if (text.trim().equalsIgnoreCase("unstructured")) {
      return unstructured();
    }
    return NmPattern.fromReference(text);
  }

  /** Any elements may be pruned; the count follows from the sparsity and the scope. */
  record Unstructured() implements SparsityPattern {
    /** The one instance. */
    public static final Unstructured INSTANCE = new Unstructured();

    @Override
    public String toString() {
      return "unstructured";
    }
  }
}
