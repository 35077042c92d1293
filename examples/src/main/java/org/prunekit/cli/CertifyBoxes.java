package org.prunekit.cli;

import java.util.ArrayList;
import java.util.List;
import org.prunekit.analysis.simcert.InputBox;

/** Parsing of {@code prunekit certify}'s box, range and index arguments. */
final class CertifyBoxes {
  private CertifyBoxes() {}

  /**
   * {@code lo:hi} (every input) or {@code lo1:hi1,...,loN:hiN} (one per input).
   *
   * @throws IllegalArgumentException for malformed text, the wrong count or an empty interval
   */
  static InputBox parseBox(String spec, int inputs) {
    String[] parts = spec.split(",");
    if (parts.length != 1 && parts.length != inputs) {
      throw new IllegalArgumentException("--box has " + parts.length + " intervals; give one lo:hi for all inputs or "
          + inputs + " (one per input)");
    }
    double[] lo = new double[inputs];
    double[] hi = new double[inputs];
    for (int i = 0; i < inputs; i++) {
      double[] r = parseRange(parts[parts.length == 1 ? 0 : i], "--box");
      lo[i] = r[0];
      hi[i] = r[1];
    }
    return new InputBox(lo, hi);
  }

  /** {@code lo:hi} with {@code lo <= hi}. */
  static double[] parseRange(String text, String option) {
    String[] p = text.trim().split(":");
    if (p.length != 2) {
      throw new IllegalArgumentException(option + " interval '" + text + "' is not lo:hi");
    }
    double lo;
    double hi;
    try {
      lo = Double.parseDouble(p[0].trim());
      hi = Double.parseDouble(p[1].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " interval '" + text + "' is not lo:hi with numbers");
    }
    if (!(lo <= hi)) {
      throw new IllegalArgumentException(option + " interval '" + text + "' is empty (lo > hi)");
    }
    return new double[] {lo, hi};
  }

  /** Indices and ranges {@code a-b} (inclusive), each in {@code [0, size)}. */
  static List<Integer> parseIndices(List<String> items, int size) {
    List<Integer> r = new ArrayList<>();
    for (String it : items) {
      String[] p = it.trim().split("-");
      try {
        int a = Integer.parseInt(p[0].trim());
        int b = p.length == 2 ? Integer.parseInt(p[1].trim()) : a;
        if (p.length > 2 || a < 0 || b < a || b >= size) {
          throw new IllegalArgumentException("--images entry '" + it + "' is not an index or range in [0, " + size + ")");
        }
        for (int i = a; i <= b; i++) {
          r.add(i);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--images entry '" + it + "' is not an index or range a-b");
      }
    }
    return r;
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
