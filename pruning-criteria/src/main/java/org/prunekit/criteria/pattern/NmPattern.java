package org.prunekit.criteria.pattern;

/**
 * N:M semi-structured sparsity (spec B7, section 0.6): in every output row, every block of
 * {@code groupM} consecutive input columns keeps exactly its {@code keepN} highest-scoring entries
 * and prunes the other {@code groupM - keepN} (ties: the lower column index is pruned first). The
 * sparsity is {@code (groupM - keepN) / groupM}. A conv weight {@code [out, in, k...]} is viewed as
 * {@code [out, in*k...]}, and blocks run along that flattened width.
 *
 * <h2>Naming trap</h2>
 *
 * <p>The two readings of the string {@code "N:M"} differ:
 *
 * <ul>
 *   <li><b>NVIDIA</b> (sparse tensor cores, "2:4 structured sparsity"): N <b>kept</b> out of M —
 *       {@link #fromNvidia(String)}, {@code fromNvidia("2:4") = keep(2, 4)}.
 *   <li><b>The Wanda and RIA reference code</b> ({@code --sparsity_type 2:4}, {@code topk(N,
 *       largest=False)} zeroed): N <b>pruned</b> out of M — {@link #fromReference(String)},
 *       {@code fromReference("1:4") = keep(3, 4)} (25 % sparsity), {@code fromReference("2:4") =
 *       keep(2, 4)}.
 * </ul>
 *
 * <p>For 2:4 and 4:8 both readings give the same pattern; for anything else they do not. This
 * record therefore stores the explicit {@code keepN}/{@code groupM} pair and never guesses.
 *
 * @param keepN entries kept in every group, {@code 0 < keepN < groupM}
 * @param groupM the group length along the input width
 */
public record NmPattern(int keepN, int groupM) implements SparsityPattern {
  /**
   * Validates the counts.
   *
   * @throws IllegalArgumentException naming keepN and groupM unless {@code 0 < keepN < groupM}
   */
  public NmPattern {
    if (groupM < 2) {
      throw new IllegalArgumentException("N:M pattern needs groupM >= 2, got groupM=" + groupM);
    }
    if (keepN <= 0 || keepN >= groupM) {
      throw new IllegalArgumentException("N:M pattern needs 0 < keepN < groupM, got keepN=" + keepN + ", groupM="
          + groupM);
    }
  }

  /** {@code keepN} kept of every {@code groupM}. */
  public static NmPattern keep(int keepN, int groupM) {
    return new NmPattern(keepN, groupM);
  }

  /** {@code prunedN} pruned of every {@code groupM} (the reference reading, as numbers). */
  public static NmPattern prune(int prunedN, int groupM) {
    if (prunedN <= 0 || prunedN >= groupM) {
      throw new IllegalArgumentException("N:M pattern needs 0 < pruned N < M, got N=" + prunedN + " pruned of M="
          + groupM);
    }
    return new NmPattern(groupM - prunedN, groupM);
  }

  /**
   * Parses {@code "N:M"} as the Wanda/RIA reference code does: N <b>pruned</b> of every M.
   *
   * @throws IllegalArgumentException naming the text if it is not two positive integers {@code
   *     N:M} with {@code N < M}
   */
  public static NmPattern fromReference(String text) {
    int[] nm = parse(text);
    try {
      return prune(nm[0], nm[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("N:M pattern '" + text + "' (reference reading, N pruned of M): "
          + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code "N:M"} in NVIDIA's reading: N <b>kept</b> of every M.
   *
   * @throws IllegalArgumentException naming the text if it is not two positive integers {@code
   *     N:M} with {@code N < M}
   */
  public static NmPattern fromNvidia(String text) {
    int[] nm = parse(text);
    try {
      return keep(nm[0], nm[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("N:M pattern '" + text + "' (NVIDIA reading, N kept of M): "
          + e.getMessage(), e);
    }
  }

  private static int[] parse(String text) {
    String t = text == null ? "" : text.trim();
    int colon = t.indexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("N:M pattern '" + text + "' is not of the form N:M (e.g. 2:4)");
    }
    try {
      return new int[] {Integer.parseInt(t.substring(0, colon).trim()), Integer.parseInt(t.substring(colon + 1).trim())};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("N:M pattern '" + text + "' is not of the form N:M (e.g. 2:4)", e);
    }
  }

  /** Entries pruned in every group, {@code groupM - keepN}. */
  public int prunedN() {
    return groupM - keepN;
  }

  /** The sparsity this pattern produces, {@code (groupM - keepN) / groupM}. */
  public double sparsity() {
    return (double) prunedN() / groupM;
  }

  /**
   * Checks that {@code groupM} divides the input width of {@code parameter}.
   *
   * @throws IllegalArgumentException naming the parameter, its width and M otherwise
   */
  public void requireDivides(String parameter, int width) {
    if (width % groupM != 0) {
      throw new IllegalArgumentException("N:M pattern " + this + ": input width " + width + " of '" + parameter
          + "' is not a multiple of groupM=" + groupM);
    }
  }

  /** Both readings spelled out, e.g. {@code "keep 3 of 4 (reference 1:4)"}. */
  @Override
  public String toString() {
    return "keep " + keepN + " of " + groupM + " (reference " + prunedN() + ":" + groupM + ")";
  }
}
