package org.prunekit.dynamic.token;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Objects;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.dynamic.InferenceCost;

/**
 * Dynamic token pruning (spec §3.5 (f), FlashU's V-norm proxy, and the attention-score proxy):
 * after a chosen transformer block, each input's tokens are scored at that block's attention, the
 * lowest-scored unprotected ones are dropped, and every later block, the tail and the readout run
 * on the shorter sequence ({@code [batch, kept, dim]}, gathered with DJL), so the work really
 * shrinks. Protected tokens (the class token, text tokens) are never dropped; the count rule is
 * {@link KeepRule}.
 *
 * <pre>{@code
 * try (TokenPruner p = TokenPruner.builder().setModel(ClsVit.build(config))
 *     .setPruneAfter("blk1_attn").setKeepRatio(0.5).optProxy(TokenProxy.V_NORM).build()) {
 *   TokenPruner.Result r = p.run(ClsVit.inputs(images, config));
 *   r.output();      // logits [batch, classes]
 *   r.costPerInput(); // MACs, bytes, tokensKept, tokensPruned
 * }
 * }</pre>
 *
 * <p>The model's graphs are only read (parameters are copied to the engine when the pruner is
 * built), so no exception can leave the model changed. Close the pruner to free the copies.
 */
public final class TokenPruner implements AutoCloseable {
  private final TransformerRunner runner;
  private final TransformerCost costs;
  private final int block;
  private final double keepRatio;
  private final TokenProxy proxy;
  private final boolean[] isProtected;
  private final int[] protectedIdx;
  private final int seq;
  private final int keep;

  private TokenPruner(Builder b, TransformerRunner runner, int block, boolean[] isProtected, int[] protectedIdx,
      int seq, int keep) {
    this.runner = runner;
    this.costs = new TransformerCost(runner.model(), runner.layout());
    this.block = block;
    this.keepRatio = b.keepRatio;
    this.proxy = b.proxy;
    this.isProtected = isProtected;
    this.protectedIdx = protectedIdx;
    this.seq = seq;
    this.keep = keep;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The output and cost of one batch.
   *
   * @param output the model output {@code [batch, ...]}
   * @param kept per sample, the kept token indices (ascending)
   * @param costPerInput the work of one input run alone (every input costs the same: same counts)
   * @param batchCost the work of the whole batch as run
   */
  public record Result(Tensor output, int[][] kept, InferenceCost costPerInput, InferenceCost batchCost) {
    /** Validates presence. */
    public Result {
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(kept, "kept");
      Objects.requireNonNull(costPerInput, "costPerInput");
      Objects.requireNonNull(batchCost, "batchCost");
    }
  }

  /** The block (0-based) after which tokens are dropped. */
  public int block() {
    return block;
  }

  /** The keep ratio of unprotected tokens. */
  public double keepRatio() {
    return keepRatio;
  }

  /** The proxy. */
  public TokenProxy proxy() {
    return proxy;
  }

  /** Sequence length after pruning (protected plus kept tokens). */
  public int keptTokens() {
    return protectedIdx.length + keep;
  }

  /** The runner (the dense path is {@link TransformerRunner#predict}). */
  public TransformerRunner runner() {
    return runner;
  }

  /**
   * Runs one batch with token pruning.
   *
   * @param inputs the encoder inputs (e.g. {@link ClsVit#inputs})
   * @throws IllegalArgumentException naming the input whose shape does not fit
   * @throws IllegalStateException if a token score is not finite
   */
  public Result run(Tensor... inputs) {
    int batch;
    Tensor out;
    int[][] kept;
    try (NDManager call = runner.newCallManager()) {
      var in = runner.toEngine(call, inputs);
      batch = inputs[0].shape().get(0);
      NDArray x = runner.embed(in);
      Node attn = runner.layout().attention(block);
      NDArray[] scores = new NDArray[1];
      int[][] keptRows = null;
      for (int i = 0; i < runner.layout().depth(); i++) {
        if (i != block) {
          x = runner.block(i, x, null);
          continue;
        }
        x = runner.block(i, x, (node, input) -> {
          if (node == attn) {
            scores[0] = proxy == TokenProxy.V_NORM
                ? TokenScores.valueNorm(attn, input, runner.encoderExecutor().parameters())
                : TokenScores.attentionReceived(attn, input, runner.encoderExecutor().parameters(), protectedIdx);
          }
        });
        keptRows = select(scores[0].toFloatArray(), batch);
        x = TokenScores.gatherTokens(x, keptRows);
      }
      out = TensorConversions.fromDjl(runner.finish(x));
      kept = keptRows;
    }
    return new Result(out, kept, cost(1), cost(batch));
  }

  private int[][] select(float[] flat, int batch) {
    int[][] rows = new int[batch][];
    for (int b = 0; b < batch; b++) {
      float[] s = Arrays.copyOfRange(flat, b * seq, (b + 1) * seq);
      try {
        rows[b] = KeepRule.select(s, isProtected, keep);
      } catch (IllegalStateException e) {
        throw new IllegalStateException("sample " + b + " at block " + block + " ('"
            + runner.layout().attention(block).name() + "'): " + e.getMessage(), e);
      }
    }
    return rows;
  }

  /** The work of a batch of {@code batch} inputs with this pruner's counts (exact, from the cost model). */
  public InferenceCost cost(int batch) {
    int kept = keptTokens();
    TransformerCost.Work w = costs.prefix(batch, seq);
    for (int i = 0; i < runner.layout().depth(); i++) {
      w = w.plus(costs.block(i, batch, i <= block ? seq : kept));
    }
    w = w.plus(costs.finish(batch, kept));
    Attention a = (Attention) runner.layout().attention(block).op();
    long pm = batch * TokenScores.proxyMacs(proxy, a, seq, protectedIdx.length);
    long pb = batch * TokenScores.proxyBytes(proxy, a, seq, protectedIdx.length);
    return new InferenceCost(w.macs() + pm, w.bytes() + pb, batch, java.util.Map.of())
        .withCounter("tokensKept", kept)
        .withCounter("tokensPruned", seq - kept)
        .withCounter("layersSkipped", 0)
        .withCounter("proxyMacs", pm);
  }

  /** The work of the dense model (every block on the full sequence) for a batch. */
  public InferenceCost denseCost(int batch) {
    TransformerCost.Work w = costs.prefix(batch, seq);
    for (int i = 0; i < runner.layout().depth(); i++) {
      w = w.plus(costs.block(i, batch, seq));
    }
    w = w.plus(costs.finish(batch, seq));
    return new InferenceCost(w.macs(), w.bytes(), batch, java.util.Map.of())
        .withCounter("tokensKept", seq)
        .withCounter("tokensPruned", 0)
        .withCounter("layersSkipped", 0);
  }

  /** Frees the engine copies of the parameters. */
  @Override
  public void close() {
    runner.close();
  }

  /** Builds a {@link TokenPruner}; required: model, attachment, keep ratio. */
  public static final class Builder {
    private TransformerModel model;
    private String attention;
    private Integer blockIndex;
    private double keepRatio = Double.NaN;
    private TokenProxy proxy = TokenProxy.V_NORM;
    private int[] protectedTokens;

    private Builder() {}

    /** The model to run (required). */
    public Builder setModel(TransformerModel model) {
      this.model = model;
      return this;
    }

    /** Prune after the block of this attention node (this or {@link #setPruneAfterBlock} required). */
    public Builder setPruneAfter(String attentionNode) {
      this.attention = attentionNode;
      this.blockIndex = null;
      return this;
    }

    /** Prune after block {@code index} (0-based). */
    public Builder setPruneAfterBlock(int index) {
      this.blockIndex = index;
      this.attention = null;
      return this;
    }

    /** Fraction of unprotected tokens kept, in (0, 1] (required); 0.5 prunes half. */
    public Builder setKeepRatio(double ratio) {
      this.keepRatio = ratio;
      return this;
    }

    /** The importance proxy (default {@link TokenProxy#V_NORM}). */
    public Builder optProxy(TokenProxy proxy) {
      this.proxy = proxy;
      return this;
    }

    /**
     * Token indices never pruned (default: {@code {0}}, the class token, for a {@code CLS} readout,
     * none for {@code MEAN}). They are also the attention proxy's query rows.
     */
    public Builder optProtectedTokens(int... indices) {
      this.protectedTokens = indices.clone();
      return this;
    }

    /**
     * Validates every setting, then copies the parameters to the engine.
     *
     * @throws IllegalArgumentException naming the setting at fault: ratio outside (0, 1], block
     *     index out of range, a node that is not attention, a protected index outside the sequence,
     *     a class-token readout whose token is not protected, or no unprotected token
     */
    public TokenPruner build() {
      Objects.requireNonNull(model, "model is required (setModel)");
      Objects.requireNonNull(proxy, "proxy");
      if (Double.isNaN(keepRatio)) {
        throw new IllegalArgumentException("keep ratio is required (setKeepRatio)");
      }
      KeepRule.checkRatio(keepRatio);
      TransformerLayout layout = TransformerLayout.of(model.encoder());
      int blk;
      if (attention != null) {
        blk = layout.blockOfAttention(attention);
      } else if (blockIndex != null) {
        layout.checkBlock(blockIndex);
        blk = blockIndex;
      } else {
        throw new IllegalArgumentException("attachment is required (setPruneAfter or setPruneAfterBlock)");
      }
      int seq = model.encoder().inputs().get(0).sampleShape().get(0);
      int[] prot = protectedTokens != null ? protectedTokens
          : model.readout() == TransformerModel.Readout.CLS ? new int[] {0} : new int[0];
      boolean[] isProt = new boolean[seq];
      for (int t : prot) {
        if (t < 0 || t >= seq) {
          throw new IllegalArgumentException("protected token " + t + " is outside the sequence [0, " + seq + ")");
        }
        isProt[t] = true;
      }
      if (model.readout() == TransformerModel.Readout.CLS && !isProt[0]) {
        throw new IllegalArgumentException("the CLS readout reads token 0, which must be protected");
      }
      int[] protIdx = java.util.stream.IntStream.range(0, seq).filter(i -> isProt[i]).toArray();
      int keep = KeepRule.keepCount(seq - protIdx.length, keepRatio);
      return new TokenPruner(this, TransformerRunner.create(model), blk, isProt, protIdx, seq, keep);
    }
  }
}
