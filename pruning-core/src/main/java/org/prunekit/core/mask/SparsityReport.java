package org.prunekit.core.mask;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * Sparsity per parameter and overall, distinguishing entries a mask prunes from entries whose
 * value is actually zero.
 *
 * <p>Rows are the parameter's first dimension (output neurons / channels; a conv kernel {@code
 * [out, in, k...]} is seen as {@code [out, in*k...]}). A row is <em>empty</em> when its mask is
 * zero everywhere; a parameter whose every row is empty has been emptied, which unstructured
 * pruning allows but this report flags.
 *
 * @param entries one entry per parameter, in graph order
 */
public record SparsityReport(List<Entry> entries) {
  /** Copies the entry list. */
  public SparsityReport {
    entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
  }

  /**
   * Sparsity of one parameter.
   *
   * @param name qualified parameter name
   * @param shape the parameter's shape
   * @param numel number of elements
   * @param masked whether a mask is attached
   * @param maskedZeros entries the mask prunes (0 without a mask)
   * @param actualZeros entries whose value is exactly zero
   * @param rows number of rows (first dimension; 1 for a scalar)
   * @param emptyRows rows whose mask is zero everywhere (0 without a mask)
   */
  public record Entry(String name, Shape shape, long numel, boolean masked, long maskedZeros, long actualZeros,
      long rows, long emptyRows) {
    /** Validates the counts. */
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(shape, "shape");
      if (numel < 0 || maskedZeros < 0 || maskedZeros > numel || actualZeros < 0 || actualZeros > numel
          || emptyRows < 0 || emptyRows > rows) {
        throw new IllegalArgumentException("inconsistent sparsity counts for '" + name + "': numel=" + numel
            + " maskedZeros=" + maskedZeros + " actualZeros=" + actualZeros + " rows=" + rows + " emptyRows=" + emptyRows);
      }
    }

    /** Measures {@code p} now. */
    public static Entry of(Parameter p) {
      Tensor v = p.value();
      Tensor m = p.mask();
      long rows = p.shape().rank() == 0 ? 1 : p.shape().get(0);
      long maskedZeros = 0;
      long emptyRows = 0;
      if (m != null) {
        maskedZeros = m.countZeros();
        emptyRows = countEmptyRows(m, rows);
      }
      return new Entry(p.qualifiedName(), p.shape(), p.numel(), m != null, maskedZeros, v.countZeros(), rows, emptyRows);
    }

    /** Fraction of entries whose value is zero. */
    public double sparsity() {
      return numel == 0 ? 0 : (double) actualZeros / numel;
    }

    /** Fraction of entries the mask prunes. */
    public double maskedSparsity() {
      return numel == 0 ? 0 : (double) maskedZeros / numel;
    }

    /** True if a mask is attached and prunes every row entirely. */
    public boolean emptied() {
      return masked && rows > 0 && emptyRows == rows;
    }
  }

  static long countEmptyRows(Tensor mask, long rows) {
    float[] d = mask.data();
    if (rows == 0 || d.length == 0) {
      return 0;
    }
    int width = (int) (d.length / rows);
    long empty = 0;
    for (int r = 0; r < rows; r++) {
      boolean allZero = true;
      for (int i = r * width, end = i + width; i < end; i++) {
        if (d[i] != 0f) {
          allZero = false;
          break;
        }
      }
      if (allZero) {
        empty++;
      }
    }
    return empty;
  }

  /** A report over every parameter of {@code graph}. */
  public static SparsityReport of(Graph graph) {
    List<Entry> e = new ArrayList<>();
    for (Parameter p : graph.parameters()) {
      e.add(Entry.of(p));
    }
    return new SparsityReport(e);
  }

  /**
   * A report over the named parameters, in the given order.
   *
   * @throws IllegalArgumentException naming a parameter the graph lacks
   */
  public static SparsityReport of(Graph graph, Collection<String> qualifiedNames) {
    List<Entry> e = new ArrayList<>();
    for (String n : qualifiedNames) {
      e.add(Entry.of(MaskSet.find(graph, n)));
    }
    return new SparsityReport(e);
  }

  /**
   * The entry for {@code name}.
   *
   * @throws IllegalArgumentException if the report has none
   */
  public Entry entry(String name) {
    for (Entry e : entries) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("no sparsity entry for '" + name + "'");
  }

  /** Total number of elements. */
  public long numel() {
    return entries.stream().mapToLong(Entry::numel).sum();
  }

  /** Total number of entries that are exactly zero. */
  public long actualZeros() {
    return entries.stream().mapToLong(Entry::actualZeros).sum();
  }

  /** Total number of masked (pruned) entries. */
  public long maskedZeros() {
    return entries.stream().mapToLong(Entry::maskedZeros).sum();
  }

  /** Overall fraction of zero values. */
  public double sparsity() {
    long n = numel();
    return n == 0 ? 0 : (double) actualZeros() / n;
  }

  /** Overall fraction of masked entries. */
  public double maskedSparsity() {
    long n = numel();
    return n == 0 ? 0 : (double) maskedZeros() / n;
  }

  /** Names of parameters whose mask prunes every row. */
  public List<String> emptiedParameters() {
    return entries.stream().filter(Entry::emptied).map(Entry::name).toList();
  }

  /** A readable table, one line per parameter and an overall line. */
  @Override
  public String toString() {
    int w = "overall".length();
    for (Entry e : entries) {
      w = Math.max(w, e.name().length());
    }
    String fmt = "%-" + w + "s %-16s %10s %10s %10s %9s %9s %s";
    StringBuilder sb = new StringBuilder();
    line(sb, fmt, "parameter", "shape", "numel", "masked0", "zeros", "masked%", "sparsity", "");
    for (Entry e : entries) {
      String note = e.emptied() ? "EMPTIED (every row pruned)"
          : e.emptyRows() > 0 ? e.emptyRows() + "/" + e.rows() + " rows empty" : "";
      line(sb, fmt, e.name(), e.shape(), e.numel(), e.masked() ? Long.toString(e.maskedZeros()) : "-",
          e.actualZeros(), e.masked() ? pct(e.maskedSparsity()) : "-", pct(e.sparsity()), note);
    }
    line(sb, fmt, "overall", "", numel(), maskedZeros(), actualZeros(), pct(maskedSparsity()), pct(sparsity()), "");
    return sb.toString();
  }

  private static void line(StringBuilder sb, String fmt, Object... cells) {
    sb.append(String.format(Locale.ROOT, fmt, cells).stripTrailing()).append('\n');
  }

  private static String pct(double f) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * f);
  }
}
