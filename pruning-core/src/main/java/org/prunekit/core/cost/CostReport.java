package org.prunekit.core.cost;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prunekit.core.graph.Shape;

/**
 * The immutable result of {@link CostModel#of}: one {@link NodeCost} per node in topological
 * order, their {@link CostTotals}, and the input shapes they were counted for.
 */
public final class CostReport {
  private final Map<String, Shape> inputShapes;
  private final List<NodeCost> nodes;
  private final Map<String, NodeCost> byName;
  private final CostTotals total;

  /**
   * Creates a report.
   *
   * @param inputShapes the full input shapes counted for, by graph input name
   * @param nodes the per-node costs, with unique node names
   * @throws IllegalArgumentException on a duplicate node name
   */
  public CostReport(Map<String, Shape> inputShapes, List<NodeCost> nodes) {
    this.inputShapes = Collections.unmodifiableMap(new LinkedHashMap<>(inputShapes));
    this.nodes = List.copyOf(nodes);
    Map<String, NodeCost> m = new LinkedHashMap<>();
    for (NodeCost c : this.nodes) {
      if (m.put(c.node(), c) != null) {
        throw new IllegalArgumentException("duplicate node '" + c.node() + "' in cost report");
      }
    }
    this.byName = Collections.unmodifiableMap(m);
    this.total = CostTotals.sum(this.nodes);
  }

  /** The input shapes the graph was counted for. */
  public Map<String, Shape> inputShapes() {
    return inputShapes;
  }

  /** Per-node costs in topological order. */
  public List<NodeCost> nodes() {
    return nodes;
  }

  /**
   * The cost of node {@code name}.
   *
   * @throws IllegalArgumentException if the report has no such node
   */
  public NodeCost node(String name) {
    NodeCost c = byName.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no node '" + name + "' in cost report; nodes: " + byName.keySet());
    }
    return c;
  }

  /** The sums over all nodes. */
  public CostTotals total() {
    return total;
  }

  /** A fixed-width text table: one row per node, then the totals. */
  public String toTable() {
    String fmt = "%-18s %-11s %-16s %12s %12s %10s %10s %10s %12s %12s %12s%n";
    StringBuilder sb = new StringBuilder();
    sb.append("inputs: ").append(inputShapes).append(System.lineSeparator());
    sb.append(String.format(Locale.ROOT, fmt, "node", "op", "output", "MACs", "eff MACs", "elem ops", "params",
        "nonzero", "read B", "written B", "eff read B"));
    for (NodeCost c : nodes) {
      sb.append(String.format(Locale.ROOT, fmt, c.node(), c.opType(), c.outputShape(), c.macs(), c.effectiveMacs(),
          c.elementOps(), c.params(), c.nonZeroParams(), c.bytesRead(), c.bytesWritten(), c.effectiveBytesRead()));
    }
    CostTotals t = total;
    sb.append(String.format(Locale.ROOT, fmt, "TOTAL", "", "", t.macs(), t.effectiveMacs(), t.elementOps(),
        t.params(), t.nonZeroParams(), t.bytesRead(), t.bytesWritten(), t.effectiveBytesRead()));
    sb.append(String.format(Locale.ROOT, "effective MAC fraction %.4f, density %.4f, sparse index bytes %d%n",
        t.effectiveMacFraction(), t.density(), t.sparseIndexBytes()));
    return sb.toString();
  }

  /**
   * A plain nested map for reports: {@code inputs} (name to dims), {@code nodes} (a list of maps
   * with every {@link NodeCost} field, shapes as lists of ints) and {@code total}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> ins = new LinkedHashMap<>();
    inputShapes.forEach((k, v) -> ins.put(k, dims(v)));
    m.put("inputs", ins);
    List<Object> ns = new ArrayList<>();
    for (NodeCost c : nodes) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("node", c.node());
      n.put("opType", c.opType());
      n.put("outputShape", dims(c.outputShape()));
      n.put("macs", c.macs());
      n.put("effectiveMacs", c.effectiveMacs());
      n.put("elementOps", c.elementOps());
      n.put("params", c.params());
      n.put("nonZeroParams", c.nonZeroParams());
      n.put("bytesRead", c.bytesRead());
      n.put("bytesWritten", c.bytesWritten());
      n.put("effectiveBytesRead", c.effectiveBytesRead());
      n.put("sparseIndexBytes", c.sparseIndexBytes());
      ns.add(Collections.unmodifiableMap(n));
    }
    m.put("nodes", Collections.unmodifiableList(ns));
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("macs", total.macs());
    t.put("effectiveMacs", total.effectiveMacs());
    t.put("elementOps", total.elementOps());
    t.put("params", total.params());
    t.put("nonZeroParams", total.nonZeroParams());
    t.put("bytesRead", total.bytesRead());
    t.put("bytesWritten", total.bytesWritten());
    t.put("effectiveBytesRead", total.effectiveBytesRead());
    t.put("sparseIndexBytes", total.sparseIndexBytes());
    m.put("total", Collections.unmodifiableMap(t));
    return Collections.unmodifiableMap(m);
  }

  /** {@link #toMap()} as pretty-printed JSON. */
  public String toJson() {
    return new GsonBuilder().setPrettyPrinting().create().toJson(toMap());
  }

  private static List<Integer> dims(Shape s) {
    List<Integer> l = new ArrayList<>();
    for (int d : s.dims()) {
      l.add(d);
    }
    return Collections.unmodifiableList(l);
  }

  @Override
  public String toString() {
    return "CostReport" + inputShapes + " " + total;
  }
}
