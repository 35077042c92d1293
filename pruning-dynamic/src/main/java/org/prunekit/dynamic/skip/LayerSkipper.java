package org.prunekit.dynamic.skip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.dynamic.InferenceCost;
import org.prunekit.dynamic.token.TransformerCost;
import org.prunekit.dynamic.token.TransformerModel;
import org.prunekit.dynamic.token.TransformerRunner;

/**
 * Dynamic layer skipping (spec §3.5 (c)): on recalculation calls (call {@code 1, 1 + period, 1 +
 * 2*period, ...}, i.e. {@code (call - 1) % period == 0}) every block runs and is scored by {@link
 * BlockImportance} ({@code 1 - mean cos(in, out)}); on the calls in between, the {@code skipCount}
 * least important blocks (ties: the lower index) are not run at all (their input passes on
 * unchanged, costing nothing). A "call" is one {@link #run} (one input or one batch: for a
 * classifier, the stream of inputs plays the role of the sampler's steps).
 *
 * <pre>{@code
 * try (LayerSkipper s = LayerSkipper.builder().setModel(vit).setSkipCount(2).optPeriod(10).build()) {
 *   for (Tensor[] batch : batches) {
 *     LayerSkipper.Result r = s.run(batch); // r.skipped(), r.cost()
 *   }
 * }
 * }</pre>
 *
 * <p>Stateful (the current skip set and the call count); one thread at a time. The model is only
 * read, never changed.
 */
public final class LayerSkipper implements AutoCloseable {
  private final TransformerRunner runner;
  private final TransformerCost costs;
  private final int skipCount;
  private final int period;
  private final int seq;
  private long calls;
  private Set<Integer> skip = Set.of();
  private double[] importance;

  private LayerSkipper(TransformerRunner runner, int skipCount, int period, int seq) {
    this.runner = runner;
    this.costs = new TransformerCost(runner.model(), runner.layout());
    this.skipCount = skipCount;
    this.period = period;
    this.seq = seq;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One call's output and cost.
   *
   * @param output the model output
   * @param recalculated whether this call ran every block and re-scored them
   * @param skipped the blocks not run (0-based, ascending; empty on recalculation calls)
   * @param importance the block importances of the latest recalculation
   * @param cost the work of the call as run (batch included)
   */
  public record Result(Tensor output, boolean recalculated, List<Integer> skipped, double[] importance,
      InferenceCost cost) {
    /** Copies the lists. */
    public Result {
      skipped = List.copyOf(skipped);
      importance = importance.clone();
    }
  }

  /** Number of blocks skipped between recalculations. */
  public int skipCount() {
    return skipCount;
  }

  /** Calls between recalculations. */
  public int period() {
    return period;
  }

  /** The runner. */
  public TransformerRunner runner() {
    return runner;
  }

  /** Forgets the skip set and the call count: the next call recalculates. */
  public void reset() {
    calls = 0;
    skip = Set.of();
    importance = null;
  }

  /**
   * Runs one call (one batch).
   *
   * @throws IllegalArgumentException naming the input whose shape does not fit
   */
  public Result run(Tensor... inputs) {
    boolean recalc = calls % period == 0;
    int depth = runner.layout().depth();
    int batch;
    Tensor out;
    double[] imp = recalc ? new double[depth] : importance;
    Set<Integer> skipNow = recalc ? Set.of() : skip;
    try (NDManager call = runner.newCallManager()) {
      var in = runner.toEngine(call, inputs);
      batch = inputs[0].shape().get(0);
      NDArray x = runner.embed(in);
      for (int i = 0; i < depth; i++) {
        if (skipNow.contains(i)) {
          continue;
        }
        NDArray y = runner.block(i, x, null);
        if (recalc) {
          imp[i] = BlockImportance.of(x, y);
        }
        x = y;
      }
      out = TensorConversions.fromDjl(runner.finish(x));
    }
    // Only a call that completed changes the state.
    calls++;
    if (recalc) {
      importance = imp;
      skip = leastImportant(imp, skipCount);
    }
    return new Result(out, recalc, new ArrayList<>(new TreeSet<>(skipNow)), imp, cost(batch, skipNow, recalc));
  }

  /**
   * FlashU's count: {@code floor(depth * ratio)} blocks skipped (28 layers at 0.2 skip 5).
   *
   * @throws IllegalArgumentException if the ratio is not in [0, 1) or depth below 1
   */
  public static int skipCountFor(int depth, double ratio) {
    if (depth < 1 || !(ratio >= 0 && ratio < 1)) {
      throw new IllegalArgumentException("need depth >= 1 and ratio in [0, 1), got " + depth + " and " + ratio);
    }
    return (int) Math.floor(depth * ratio);
  }

  /** The {@code k} indices of the smallest values, ties by the lower index. */
  public static Set<Integer> leastImportant(double[] importance, int k) {
    Integer[] order = new Integer[importance.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Double.compare(importance[a], importance[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    return Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(order).subList(0, k)));
  }

  /**
   * The work of one call: prefix, the blocks run, tail and head; recalculation calls add the
   * cosine scoring ({@code 3*dim} MACs per token and block: dot product and two squared norms).
   */
  public InferenceCost cost(int batch, Set<Integer> skipped, boolean recalculated) {
    TransformerCost.Work w = costs.prefix(batch, seq);
    int depth = runner.layout().depth();
    for (int i = 0; i < depth; i++) {
      if (!skipped.contains(i)) {
        w = w.plus(costs.block(i, batch, seq));
      }
    }
    w = w.plus(costs.finish(batch, seq));
    long dim = costs.report(batch, seq).node(runner.layout().block(0).get(runner.layout().block(0).size() - 1).name())
            .outputShape().get(2);
    long scoring = recalculated ? 3L * batch * seq * dim * depth : 0;
    return new InferenceCost(w.macs() + scoring, w.bytes() + (recalculated ? 8L * batch * seq * dim * depth : 0),
        batch, Map.of())
        .withCounter("layersSkipped", skipped.size())
        .withCounter("tokensKept", seq)
        .withCounter("recalculated", recalculated ? 1 : 0);
  }

  /** Frees the engine copies of the parameters. */
  @Override
  public void close() {
    runner.close();
  }

  /** Builds a {@link LayerSkipper}; required: model and skip count. */
  public static final class Builder {
    private TransformerModel model;
    private int skipCount = -1;
    private int period = 10;

    private Builder() {}

    /** The model (required). */
    public Builder setModel(TransformerModel model) {
      this.model = model;
      return this;
    }

    /** Blocks skipped between recalculations, in [0, depth) (required). */
    public Builder setSkipCount(int k) {
      this.skipCount = k;
      return this;
    }

    /** Calls between recalculations, at least 1 (default 10, FlashU's {@code T_LS}). */
    public Builder optPeriod(int period) {
      this.period = period;
      return this;
    }

    /**
     * Validates, then copies the parameters to the engine.
     *
     * @throws IllegalArgumentException naming the value at fault: skip count outside [0, depth),
     *     period below 1, or an encoder that is not a chain of transformer blocks
     */
    public LayerSkipper build() {
      Objects.requireNonNull(model, "model is required (setModel)");
      if (period < 1) {
        throw new IllegalArgumentException("period must be >= 1, got " + period);
      }
      int depth = org.prunekit.dynamic.token.TransformerLayout.of(model.encoder()).depth();
      if (skipCount < 0 || skipCount >= depth) {
        throw new IllegalArgumentException("skip count must be in [0, " + (depth - 1) + "] for " + depth
            + " blocks, got " + skipCount);
      }
      int seq = model.encoder().inputs().get(0).sampleShape().get(0);
      return new LayerSkipper(TransformerRunner.create(model), skipCount, period, seq);
    }
  }
}
