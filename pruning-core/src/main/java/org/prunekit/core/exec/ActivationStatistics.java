package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Pool;

/**
 * Streaming per-feature statistics of the first input of selected nodes, for calibration-based
 * criteria (Wanda's {@code ||X_j||_2}, SparseGPT's diagonal, mean activations).
 *
 * <p>Per node it keeps a token count and, per input feature {@code j}, the sum and the sum of
 * squares in double precision. Activations are never stored: each batch is reduced on the engine
 * and added, so feeding the data in one batch or in many gives the same numbers.
 *
 * <p>Feature axis: for {@link Conv}, {@link BatchNorm}, {@link Pool} and {@link GlobalPool} nodes
 * (rank 3 or more) the channel axis 1, with tokens = batch × spatial positions; for every other
 * node (e.g. {@link Linear}) the last axis, with tokens = the product of all leading axes.
 */
public final class ActivationStatistics implements ExecutionHook {
  private final Predicate<Node> filter;
  private final Map<String, Accumulator> stats = new LinkedHashMap<>();

  /**
   * Creates statistics for the nodes {@code filter} accepts.
   *
   * @param filter which nodes to observe, e.g. {@link #linearAndConv()}
   */
  public ActivationStatistics(Predicate<Node> filter) {
    this.filter = Objects.requireNonNull(filter, "filter");
  }

  /** A filter accepting Linear and Conv nodes. */
  public static Predicate<Node> linearAndConv() {
    return n -> n.op() instanceof Linear || n.op() instanceof Conv;
  }

  @Override
  public void onInputs(Node node, NDList inputs) {
    if (!filter.test(node)) {
      return;
    }
    NDArray x = inputs.get(0);
    long[] shape = x.getShape().getShape();
    int rank = shape.length;
    boolean channelFirst = rank >= 3 && (node.op() instanceof Conv || node.op() instanceof BatchNorm
        || node.op() instanceof Pool || node.op() instanceof GlobalPool);
    int featureAxis = channelFirst ? 1 : rank - 1;
    if (rank == 0) {
      throw new IllegalArgumentException("node '" + node.name() + "': cannot take statistics of a scalar input");
    }
    int features = Math.toIntExact(shape[featureAxis]);
    long tokens = features == 0 ? 0 : x.size() / features;
    int[] axes = new int[rank - 1];
    for (int i = 0, k = 0; i < rank; i++) {
      if (i != featureAxis) {
        axes[k++] = i;
      }
    }
    float[] sum;
    float[] sumSq;
    try (NDArray plain = x.stopGradient();
        NDArray s = axes.length == 0 ? plain.duplicate() : plain.sum(axes);
        NDArray sq = plain.square();
        NDArray ss = axes.length == 0 ? sq.duplicate() : sq.sum(axes)) {
      sum = s.toFloatArray();
      sumSq = ss.toFloatArray();
    }
    synchronized (stats) {
      Accumulator acc = stats.computeIfAbsent(node.name(), k -> new Accumulator(features));
      if (acc.sumSquares.length != features) {
        throw new IllegalArgumentException("node '" + node.name() + "': input has " + features
            + " features, earlier batches had " + acc.sumSquares.length);
      }
      acc.tokens += tokens;
      for (int j = 0; j < features; j++) {
        acc.sum[j] += sum[j];
        acc.sumSquares[j] += sumSq[j];
      }
    }
  }

  /** Names of the nodes observed so far, in first-seen order. */
  public Set<String> nodes() {
    synchronized (stats) {
      return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(stats.keySet()));
    }
  }

  /** Tokens (rows) seen by {@code node}. */
  public long tokens(String node) {
    synchronized (stats) {
      return get(node).tokens;
    }
  }

  /** Per-feature sum of squares for {@code node} (a copy). */
  public double[] sumSquares(String node) {
    synchronized (stats) {
      return get(node).sumSquares.clone();
    }
  }

  /** Per-feature sum for {@code node} (a copy). */
  public double[] sums(String node) {
    synchronized (stats) {
      return get(node).sum.clone();
    }
  }

  /** Per-feature mean: sum / tokens. */
  public double[] means(String node) {
    synchronized (stats) {
      Accumulator a = get(node);
      double[] m = new double[a.sum.length];
      for (int j = 0; j < m.length; j++) {
        m[j] = a.tokens == 0 ? 0 : a.sum[j] / a.tokens;
      }
      return m;
    }
  }

  /** Per-feature L2 norm over all tokens, {@code sqrt(sum of squares)}: Wanda's {@code ||X_j||_2}. */
  public double[] columnNorms(String node) {
    double[] s = sumSquares(node);
    for (int j = 0; j < s.length; j++) {
      s[j] = Math.sqrt(s[j]);
    }
    return s;
  }

  /** Forgets everything seen so far. */
  public void reset() {
    synchronized (stats) {
      stats.clear();
    }
  }

  private Accumulator get(String node) {
    Accumulator a = stats.get(node);
    if (a == null) {
      throw new IllegalArgumentException("no statistics for node '" + node + "'; observed: " + stats.keySet());
    }
    return a;
  }

  private static final class Accumulator {
    long tokens;
    final double[] sum;
    final double[] sumSquares;

    Accumulator(int features) {
      sum = new double[features];
      sumSquares = new double[features];
    }
  }
}
