package org.prunekit.core.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Embedding;

/**
 * Counts MACs, element operations, parameters and memory traffic of a {@link Graph} for given input
 * shapes.
 *
 * <pre>{@code
 * CostReport r = CostModel.of(graph, 8);          // batch 8
 * long macs = r.total().macs();
 * long kept = r.total().effectiveMacs();          // zero / masked weights skipped
 * String text = r.toTable();
 * }</pre>
 *
 * <p>The rules (see {@code docs/accounting.md}): a MAC is one multiply-accumulate of a weight (or,
 * in attention, an activation) with an activation; element operations (activations,
 * normalisations, pooling, bias and residual adds, products, softmax, RoPE) are counted separately
 * and never as MACs. Bytes are float32: every input activation and parameter is read once per call
 * and the output written once; views move nothing. The effective view skips every parameter
 * element whose value is zero or whose mask entry is 0 (the mask takes precedence).
 *
 * <p>The count reads the graph's current parameter values and masks and changes nothing. A graph
 * whose structure was physically pruned simply reports smaller dense figures.
 *
 * <h2>How to count a new op</h2>
 *
 * <ol>
 *   <li>Add an {@code instanceof} branch to {@code OpCosts.work} returning its MACs, effective MACs,
 *       element operations and traffic model, and add the class to {@code OpCosts.COVERED} (a test
 *       fails until you do).
 *   <li>Write its rule into {@code docs/accounting.md} and test it against a hand-computed value.
 * </ol>
 */
public final class CostModel {
  /** Bytes per activation or parameter element (float32). */
  public static final int BYTES_PER_ELEMENT = 4;

  /** Bytes of sparse-format index per non-zero element of a parameter that holds zeros. */
  public static final int INDEX_BYTES_PER_NONZERO = 4;

  private CostModel() {}

  /**
   * The cost of {@code graph} with every input at its sample shape and batch {@code batch}.
   *
   * @throws IllegalArgumentException if {@code batch < 1}, or naming the node whose shapes do not
   *     fit or whose figures overflow a long
   */
  public static CostReport of(Graph graph, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (InputSpec s : graph.inputs()) {
      shapes.put(s.name(), s.sampleShape().withBatch(batch));
    }
    return of(graph, shapes);
  }

  /**
   * The cost of {@code graph} for the given full input shapes (batch first), one per graph input.
   *
   * @throws IllegalArgumentException naming the input that is missing or unknown, the node whose
   *     shapes do not fit, or the node whose figures overflow a long
   */
  public static CostReport of(Graph graph, Map<String, Shape> inputShapes) {
    for (String name : inputShapes.keySet()) {
      if (graph.inputs().stream().noneMatch(i -> i.name().equals(name))) {
        throw new IllegalArgumentException("shape given for '" + name + "', which is not a graph input");
      }
    }
    Map<String, Shape> shapes = graph.inferShapes(inputShapes);
    List<NodeCost> costs = new ArrayList<>();
    for (Node n : graph.nodes()) {
      List<Shape> in = new ArrayList<>();
      for (String i : n.inputs()) {
        in.add(shapes.get(i));
      }
      try {
        costs.add(nodeCost(n, in, shapes.get(n.name())));
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "node '" + n.name() + "' (" + n.op().type() + "): cost overflows a long for input shapes " + in, e);
      }
    }
    Map<String, Shape> inputs = new LinkedHashMap<>();
    for (InputSpec s : graph.inputs()) {
      inputs.put(s.name(), shapes.get(s.name()));
    }
    return new CostReport(inputs, costs);
  }

  private static NodeCost nodeCost(Node n, List<Shape> in, Shape out) {
    Map<String, Long> nonZero = new LinkedHashMap<>();
    long params = 0;
    long nnz = 0;
    long indexed = 0; // non-zero elements of parameters that hold zeros
    for (Parameter p : n.params().values()) {
      long z = ParamCounts.nonZero(p);
      nonZero.put(p.name(), z);
      params = Math.addExact(params, p.numel());
      nnz = Math.addExact(nnz, z);
      if (z < p.numel()) {
        indexed = Math.addExact(indexed, z);
      }
    }
    OpWork w = OpCosts.work(n, in, out, nonZero);
    long read;
    long effRead;
    long written;
    long index;
    switch (w.traffic()) {
      case NONE:
        read = 0;
        effRead = 0;
        written = 0;
        index = 0;
        break;
      case GATHER:
        Embedding e = (Embedding) n.op();
        long tokens = in.get(0).size();
        long rows = OpCosts.mul(tokens, e.dim());
        // Expected non-zero elements gathered under uniformly spread token ids.
        long effRows = Math.round((double) rows * nnz / params);
        read = bytes(tokens + rows);
        effRead = bytes(tokens + effRows);
        written = bytes(out.size());
        index = nnz < params ? OpCosts.mul(INDEX_BYTES_PER_NONZERO, effRows) : 0;
        break;
      case DENSE:
      default:
        long act = 0;
        for (Shape s : in) {
          act = Math.addExact(act, s.size());
        }
        read = bytes(Math.addExact(act, params));
        effRead = bytes(Math.addExact(act, nnz));
        written = bytes(out.size());
        index = OpCosts.mul(INDEX_BYTES_PER_NONZERO, indexed);
        break;
    }
    return new NodeCost(n.name(), n.op().type(), out, w.macs(), w.effectiveMacs(), w.elementOps(), params, nnz,
        read, written, effRead, index);
  }

  private static long bytes(long elements) {
    return Math.multiplyExact(elements, BYTES_PER_ELEMENT);
  }
}
