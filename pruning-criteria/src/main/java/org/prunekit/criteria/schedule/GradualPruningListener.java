package org.prunekit.criteria.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.exec.GraphBlock;
import org.prunekit.core.exec.MaskingListener;
import org.prunekit.core.mask.SparsityReport;
import org.prunekit.criteria.Criteria;
import org.prunekit.criteria.Criterion;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningResult;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.magnitude.MagnitudeCriterion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gradual magnitude pruning (Zhu and Gupta, spec B6) inside a DJL training loop: a {@link
 * ai.djl.training.listener.TrainingListener} that raises the sparsity of a {@link GraphBlock}'s
 * target weights along a {@link PolynomialDecaySchedule} and keeps pruned weights at zero.
 *
 * <pre>{@code
 * GraphBlock block = new GraphBlock(graph);
 * try (GradualPruningListener gmp = GradualPruningListener.builder()
 *         .setBlock(block).setSchedule(PolynomialDecaySchedule.cubic(0, 0.9, 0, 1000, 100)).build()) {
 *   DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
 *       .optOptimizer(gmp.wrap(adam))          // zeroes pruned entries right after every update
 *       .addTrainingListeners(gmp);            // re-prunes on schedule, masks gradients
 *   ... EasyTrain.fit(trainer, epochs, data, null);
 *   block.syncToGraph();                       // graph values; masks are already on the graph
 * }
 * }</pre>
 *
 * <h2>Steps</h2>
 *
 * The step counter is the number of training batches seen before the current one ({@code 0} for
 * the first): in {@link #onTrainingBatch}, which DJL calls after forward and backward and before
 * {@code Trainer.step()}, a batch whose step {@code t} is an update step of the schedule ({@link
 * PolynomialDecaySchedule#isUpdateStep}) first re-prunes to {@link
 * PolynomialDecaySchedule#sparsityAt sparsityAt(t)}; the optimizer step of that batch then runs
 * with the new masks. After the step of batch {@code endStep} the targets hold exactly the final
 * sparsity ({@code floor(s_f * numel)} zeros per layer with the default {@link Scope#LAYER}).
 * Validation batches do not count.
 *
 * <h2>Re-pruning</h2>
 *
 * At an update step the block's current DJL values are copied into the graph ({@link
 * GraphBlock#syncToGraph()}), {@link Pruning#prune} scores the targets (by default magnitude,
 * per layer) at the new sparsity — masks never regrow: already pruned entries stay pruned and the
 * sparsity never decreases — and the graph's values (pruned entries now zero) are copied back
 * ({@link GraphBlock#syncFromGraph()}).
 *
 * <h2>Masking</h2>
 *
 * {@link MaskingListener} reads the masks once, at construction. This listener therefore owns
 * its masking: after every re-prune it creates a fresh {@link MaskingListener} from the graph's
 * new masks and closes the previous one, and it calls that listener's gradient and value masking
 * itself in {@link #onTrainingBatch}, {@link #onEpoch} and {@link #onTrainingEnd} (do <b>not</b>
 * add a separate {@code MaskingListener} to the config). {@link #wrap(Optimizer)} returns one
 * optimizer for the whole run that forwards each update to the current masking listener's wrapper
 * (its own wrapper keeps no state, so momentum and Adam state stay with {@code inner}).
 *
 * <p>Close this listener after training (frees the mask arrays). Not thread-safe; one trainer at a time.
 */
public final class GradualPruningListener extends TrainingListenerAdapter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GradualPruningListener.class);

  private final GraphBlock block;
  private final PolynomialDecaySchedule schedule;
  private final Criterion criterion;
  private final Scope scope;
  private final Targets targets;
  private final List<Update> updates = new ArrayList<>();
  private final List<SwitchingOptimizer> wrappers = new ArrayList<>();
  private MaskingListener masking;
  private long step;
  private boolean closed;

  private GradualPruningListener(Builder b) {
    this.block = b.block;
    this.schedule = b.schedule;
    this.criterion = b.criterion;
    this.scope = b.scope;
    this.targets = b.targets;
    // validate the targets now, before training starts
    if (targets.resolve(block.graph()).isEmpty()) {
      throw new IllegalArgumentException("gradual pruning has no target parameters in the block's graph");
    }
    // hold masks that are already on the graph (e.g. from one-shot pruning) from the first batch on
    if (block.graph().parameters().stream().anyMatch(org.prunekit.core.graph.Parameter::hasMask)) {
      this.masking = new MaskingListener(block);
    }
  }

  /** A builder: block and schedule are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One mask update.
   *
   * @param step the training step (batches seen before the batch that triggered it)
   * @param targetSparsity the schedule's sparsity at that step
   * @param report the targets' sparsity after the update
   */
  public record Update(long step, double targetSparsity, SparsityReport report) {}

  /**
   * An optimizer that runs {@code inner}'s update and then zeroes the pruned entries of the
   * current masks. Use it as the training config's optimizer.
   */
  public Optimizer wrap(Optimizer inner) {
    Objects.requireNonNull(inner, "inner");
    checkOpen();
    SwitchingOptimizer s = new SwitchingOptimizer(inner);
    s.current = masking == null ? inner : masking.wrap(inner);
    wrappers.add(s);
    return s;
  }

  /** Re-prunes on update steps, then masks gradients and values before the optimizer step. */
  @Override
  public void onTrainingBatch(Trainer trainer, BatchData batchData) {
    checkOpen();
    long t = step++;
    if (schedule.isUpdateStep(t)) {
      update(t);
    }
    if (masking != null) {
      masking.maskGradients();
      masking.applyMasks();
    }
  }

  /** Re-applies the masks after an epoch. */
  @Override
  public void onEpoch(Trainer trainer) {
    if (masking != null && !closed) {
      masking.applyMasks();
    }
  }

  /** Re-applies the masks when training ends. */
  @Override
  public void onTrainingEnd(Trainer trainer) {
    if (masking != null && !closed) {
      masking.applyMasks();
    }
  }

  /**
   * Re-prunes to the schedule's sparsity at {@code t} now (what {@link #onTrainingBatch} does on
   * an update step). Must not be called while a gradient collector is open.
   */
  private void update(long t) {
    double target = schedule.sparsityAt(t);
    block.syncToGraph();
    PruningSpec spec = PruningSpec.builder().setCriterion(criterion).setSparsity(target).optScope(scope)
        .optTargets(targets).build();
    PruningResult r = Pruning.prune(block.graph(), spec);
    block.syncFromGraph();
    MaskingListener fresh = new MaskingListener(block);
    MaskingListener old = masking;
    masking = fresh;
    for (SwitchingOptimizer s : wrappers) {
      s.current = fresh.wrap(s.inner);
    }
    if (old != null) {
      old.close();
    }
    updates.add(new Update(t, target, r.report()));
    LOG.debug("gradual pruning step {}: target sparsity {}, {} of {} target weights masked", t, target,
        r.report().maskedZeros(), r.report().numel());
  }

  /** Training batches seen so far (the step the next batch will have). */
  public long step() {
    return step;
  }

  /** The mask updates done so far, in order. */
  public List<Update> updates() {
    return Collections.unmodifiableList(updates);
  }

  /** The schedule. */
  public PolynomialDecaySchedule schedule() {
    return schedule;
  }

  /** Frees the current mask arrays; the wrapped optimizers then pass updates to {@code inner} unmasked. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      for (SwitchingOptimizer s : wrappers) {
        s.current = s.inner;
      }
      if (masking != null) {
        masking.close();
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("gradual pruning listener is closed");
    }
  }

  /** Forwards each update to the current masking wrapper of one inner optimizer. */
  private static final class SwitchingOptimizer extends Optimizer {
    final Optimizer inner;
    volatile Optimizer current;

    SwitchingOptimizer(Optimizer inner) {
      super(new PassThroughBuilder());
      this.inner = inner;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
      current.update(parameterId, weight, grad);
    }
  }

  /** Builder for the wrapper's (unused) base-class settings. */
  private static final class PassThroughBuilder extends Optimizer.OptimizerBuilder<PassThroughBuilder> {
    @Override
    protected PassThroughBuilder self() {
      return this;
    }
  }

  /** Builds a {@link GradualPruningListener}. */
  public static final class Builder {
    private GraphBlock block;
    private PolynomialDecaySchedule schedule;
    private Criterion criterion;
    private Scope scope = Scope.LAYER;
    private Targets targets = Targets.defaults();

    private Builder() {}

    /** Required: the block being trained. */
    public Builder setBlock(GraphBlock block) {
      this.block = Objects.requireNonNull(block, "block");
      return this;
    }

    /** Required: the sparsity schedule, in training batches. */
    public Builder setSchedule(PolynomialDecaySchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** Optional: the criterion (default {@code "magnitude"}; it must need nothing but weights). */
    public Builder optCriterion(Criterion criterion) {
      this.criterion = Objects.requireNonNull(criterion, "criterion");
      return this;
    }

    /** Optional: the scope (default {@link Scope#LAYER}: each layer reaches the target). */
    public Builder optScope(Scope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /** Optional: the targets (default {@link Targets#defaults()}). */
    public Builder optTargets(Targets targets) {
      this.targets = Objects.requireNonNull(targets, "targets");
      return this;
    }

    /**
     * Builds the listener.
     *
     * @throws IllegalArgumentException if the block or schedule is missing, the criterion needs
     *     calibration inputs or gradients, or no target parameter exists
     */
    public GradualPruningListener build() {
      if (block == null) {
        throw new IllegalArgumentException("gradual pruning needs a block");
      }
      if (schedule == null) {
        throw new IllegalArgumentException("gradual pruning needs a schedule");
      }
      if (criterion == null) {
        criterion = Criteria.byName(MagnitudeCriterion.NAME);
      }
      if (!criterion.requirements().isEmpty()) {
        throw new IllegalArgumentException("gradual pruning re-scores from weights only; criterion '"
            + criterion.name() + "' needs " + criterion.requirements());
      }
      return new GradualPruningListener(this);
    }
  }
}
