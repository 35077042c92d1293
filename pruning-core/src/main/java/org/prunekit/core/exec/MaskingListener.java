package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.optimizer.Optimizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.TensorConversions;

/**
 * Keeps pruned weights at zero while a {@link GraphBlock} trains.
 *
 * <p>In DJL 0.36 no listener is called after an optimizer step: {@code EasyTrain.trainBatch} runs
 * forward and backward, then notifies {@code onTrainingBatch}, and only then does the caller run
 * {@code Trainer.step()}, which updates parameters without notifying anyone. So masking happens in
 * two places:
 *
 * <ul>
 *   <li>{@link #wrap(Optimizer)} returns an optimizer that sets every pruned entry of a masked parameter
 *       to zero right after the wrapped optimizer updated it. This is exact for every optimizer,
 *       including momentum, Adam and weight decay, whose state could otherwise move a zero weight.
 *   <li>{@link #onTrainingBatch} (before the step) sets the pruned entries of masked parameters'
 *       gradients and values to zero. With a stateless update (plain SGD, with or without weight decay) that
 *       alone keeps pruned entries at exactly zero; {@link #onEpoch} and {@link #onTrainingEnd}
 *       apply the masks once more.
 * </ul>
 *
 * Use both: {@code new DefaultTrainingConfig(loss).optOptimizer(masks.wrap(sgd))
 * .addTrainingListeners(masks)}.
 *
 * <p>The masks are read from the graph's parameters once, at construction, into arrays owned by
 * this listener; after re-pruning, create a new listener. Close it after training.
 */
public final class MaskingListener extends TrainingListenerAdapter implements AutoCloseable {
  private final GraphBlock block;
  private final NDManager manager;
  /** Boolean "pruned" arrays (mask == 0) by DJL parameter id (what optimizers are called with). */
  private final Map<String, NDArray> masksById = new LinkedHashMap<>();
  /** DJL parameters by qualified name, for the masked ones. */
  private final Map<String, ai.djl.nn.Parameter> masked = new LinkedHashMap<>();
  private boolean closed;

  /**
   * Reads the masks of every masked parameter of the block's graph.
   *
   * @param block the block being trained
   */
  public MaskingListener(GraphBlock block) {
    this.block = Objects.requireNonNull(block, "block");
    this.manager = DjlEnvironment.newManager();
    for (Parameter p : block.graph().parameters()) {
      if (p.hasMask()) {
        ai.djl.nn.Parameter djl = block.djlParameter(p.qualifiedName());
        try (NDArray mask = TensorConversions.toDjl(manager, p.mask())) {
          masksById.put(djl.getId(), mask.eq(0f));
        }
        masked.put(p.qualifiedName(), djl);
      }
    }
  }

  /** Qualified names of the parameters this listener masks, in graph order. */
  public java.util.Set<String> maskedParameters() {
    return Collections.unmodifiableSet(masked.keySet());
  }

  /**
   * An optimizer that runs {@code inner}'s update and then sets each masked parameter's pruned entries
   * to zero in place. The wrapper keeps no state of its own: {@code inner} keeps its momentum etc.
   *
   * @param inner the optimizer doing the update
   * @return the masking optimizer, valid while this listener is open
   */
  public Optimizer wrap(Optimizer inner) {
    Objects.requireNonNull(inner, "inner");
    return new MaskedOptimizer(inner, this);
  }

  /**
   * Sets the pruned entries of every masked parameter's array to +0 in place. Does nothing for parameters
   * not initialised yet. Must not be called while a gradient collector is open.
   */
  public void applyMasks() {
    checkOpen();
    for (ai.djl.nn.Parameter p : masked.values()) {
      if (p.isInitialized()) {
        zero(p.getArray(), masksById.get(p.getId()));
      }
    }
  }

  /**
   * Sets the gradients of pruned entries to zero in place, so that an update never
   * pushes a pruned weight away from zero. Parameters without a gradient are skipped.
   */
  public void maskGradients() {
    checkOpen();
    for (ai.djl.nn.Parameter p : masked.values()) {
      if (p.isInitialized() && p.requiresGradient() && p.getArray().hasGradient()) {
        try (NDArray g = p.getArray().getGradient()) {
          zero(g, masksById.get(p.getId()));
        }
      }
    }
  }

  /** Masks gradients and values after backward, before the optimizer step. */
  @Override
  public void onTrainingBatch(Trainer trainer, BatchData batchData) {
    maskGradients();
    applyMasks();
  }

  /** Re-applies the masks after an epoch's last step. */
  @Override
  public void onEpoch(Trainer trainer) {
    applyMasks();
  }

  /** Re-applies the masks when training ends. */
  @Override
  public void onTrainingEnd(Trainer trainer) {
    if (!closed) {
      applyMasks();
    }
  }

  /** The block whose parameters are masked. */
  public GraphBlock block() {
    return block;
  }

  /** Frees the mask arrays. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }

  /**
   * Writes +0 where {@code pruned} is true, in place. (Multiplying by a 0/1 mask would leave -0
   * for negative weights.)
   */
  static void zero(NDArray target, NDArray pruned) {
    // DJL's indexer makes a scalar array in the target's manager for the fill value and never
    // closes it; a temporary scope collects it.
    try (NDManager scope = target.getManager().newSubManager()) {
      target.tempAttach(scope);
      target.set(pruned, 0f);
    }
  }

  NDArray prunedFor(String parameterId) {
    checkOpen();
    return masksById.get(parameterId);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("masking listener is closed");
    }
  }

  /** Delegates updates, then masks the updated weight. */
  private static final class MaskedOptimizer extends Optimizer {
    private final Optimizer inner;
    private final MaskingListener masks;

    MaskedOptimizer(Optimizer inner, MaskingListener masks) {
      super(new PassThroughBuilder());
      this.inner = inner;
      this.masks = masks;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
      inner.update(parameterId, weight, grad);
      NDArray pruned = masks.prunedFor(parameterId);
      if (pruned != null) {
        zero(weight, pruned);
      }
    }
  }

  /** Builder for the wrapper's (unused) base-class settings. */
  private static final class PassThroughBuilder extends Optimizer.OptimizerBuilder<PassThroughBuilder> {
    @Override
    protected PassThroughBuilder self() {
      return this;
    }
  }
}
