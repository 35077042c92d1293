package org.prunekit.core.structure;

/** Formats a unit-to-indices mapping compactly for {@link GroupMember#mappingText()}. */
final class MappingText {
  private MappingText() {}

  static String of(int[][] ix) {
    int n = ix.length;
    if (n == 0) {
      return "(no units)";
    }
    int block = ix[0].length;
    boolean uniform = block > 0;
    for (int[] a : ix) {
      uniform &= a.length == block;
    }
    if (uniform) {
      int offset = ix[0][0];
      boolean formula = true;
      for (int u = 0; u < n && formula; u++) {
        for (int j = 0; j < block; j++) {
          if (ix[u][j] != u * block + offset + j) {
            formula = false;
            break;
          }
        }
      }
      if (formula) {
        String base = block == 1 ? "u" : "u*" + block;
        String start = base + (offset == 0 ? "" : "+" + offset);
        if (block == 1) {
          return "u -> [" + start + "] for u in 0.." + (n - 1);
        }
        return "u -> [" + start + " .. " + base + "+" + (offset + block - 1) + "] for u in 0.." + (n - 1);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int u = 0; u < n; u++) {
      if (u > 0) {
        sb.append(' ');
      }
      sb.append(u).append("->").append(ranges(ix[u]));
    }
    return sb.toString();
  }

  /** Sorted indices as {@code [0..3,7,9..10]}. */
  static String ranges(int[] a) {
    StringBuilder sb = new StringBuilder("[");
    int i = 0;
    while (i < a.length) {
      int j = i;
      while (j + 1 < a.length && a[j + 1] == a[j] + 1) {
        j++;
      }
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(a[i]);
      if (j > i) {
        sb.append("..").append(a[j]);
      }
      i = j + 1;
    }
    return sb.append(']').toString();
  }
}
