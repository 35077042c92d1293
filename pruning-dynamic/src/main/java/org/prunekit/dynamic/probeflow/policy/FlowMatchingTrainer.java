package org.prunekit.dynamic.probeflow.policy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.SplittableRandom;
import org.prunekit.core.exec.GraphBlock;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a head graph ({@link FlowPolicyHead#newGraph}) with the rectified-flow (conditional flow
 * matching) objective on DJL PyTorch: for a chunk {@code x1} (normalised), noise {@code x0 ~ U[-1,
 * 1]} and {@code t ~ U[0, 1]}, the head at {@code x_t = (1 - t) x0 + t x1} regresses {@code x1 -
 * x0} (MSE), or {@code x1} itself with {@link Parameterization#ENDPOINT}. Adam with a cosine learning-rate decay; the trained values are written back into the
 * graph.
 */
public final class FlowMatchingTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(FlowMatchingTrainer.class);

  private final int steps;
  private final int batchSize;
  private final float learningRate;
  private final long seed;
  private final Parameterization parameterization;

  private FlowMatchingTrainer(Builder b) {
    this.steps = b.steps;
    this.batchSize = b.batchSize;
    this.learningRate = b.learningRate;
    this.seed = b.seed;
    this.parameterization = b.parameterization;
  }

  /** A builder (defaults: 3000 steps, batch 256, learning rate 1e-3, seed 1). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Trains {@code graph} in place on {@code train}.
   *
   * @throws IllegalArgumentException if the chunks' horizon does not fit the graph
   */
  public TrainingReport train(Graph graph, ActionChunks train, ChunkNormalizer normalizer) {
    int h = train.horizon();
    int d = FlowPolicyHead.ACTION_DIM * h;
    int cd = normalizer.conditionDim();
    int w = FlowPolicyHead.inputWidth(h, cd);
    if (graph.inputs().get(0).sampleShape().size() != w) {
      throw new IllegalArgumentException("graph input width " + graph.inputs().get(0).sampleShape().size()
          + " does not fit horizon " + h + " and a " + cd + "-value condition (needs " + w + ")");
    }
    int n = train.size();
    float[][] acts = new float[n][];
    float[][] conds = new float[n][];
    for (int i = 0; i < n; i++) {
      acts[i] = normalizer.normalizeAction(train.actions()[i]);
      conds[i] = normalizer.normalizeCondition(train.conditions()[i]);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int window = Math.max(1, steps / 20);
    double firstSum = 0;
    double lastSum = 0;
    int skipped = 0;
    long start = System.nanoTime();
    try (Model model = Model.newInstance("probeflow-head", GraphExecutor.ENGINE)) {
      GraphBlock block = new GraphBlock(graph);
      model.setBlock(block);
      Tracker lr = Tracker.cosine().setBaseValue(learningRate).optFinalValue(learningRate * 0.02f)
          .setMaxUpdates(steps).build();
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new ai.djl.ndarray.types.Shape(batchSize, w));
        float[] in = new float[batchSize * w];
        float[] target = new float[batchSize * d];
        for (int s = 0; s < steps; s++) {
          for (int b = 0; b < batchSize; b++) {
            int k = rng.nextInt(n);
            float t = (float) rng.nextDouble();
            for (int i = 0; i < d; i++) {
              float x0 = (float) (2 * rng.nextDouble() - 1);
              float x1 = acts[k][i];
              in[b * w + i] = (1 - t) * x0 + t * x1;
              target[b * d + i] = parameterization == Parameterization.VELOCITY ? x1 - x0 : x1;
            }
            in[b * w + d] = t;
            System.arraycopy(conds[k], 0, in, b * w + d + 1, cd);
          }
          try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray x = sub.create(in, new ai.djl.ndarray.types.Shape(batchSize, w));
            NDArray y = sub.create(target, new ai.djl.ndarray.types.Shape(batchSize, d));
            float loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDList pred = trainer.forward(new NDList(x));
              NDArray mse = pred.singletonOrThrow().sub(y).square().mean();
              gc.backward(mse);
              loss = mse.getFloat();
            }
            if (!Float.isFinite(loss)) {
              throw new IllegalStateException("flow-matching loss became " + loss + " at step " + s
                  + " (the weights were finite before this step)");
            }
            if (!gradientsFinite(block)) {
              // A sporadic non-finite gradient with a finite loss: drop this update (the weights stay
              // as they were) instead of poisoning Adam's moments; too many of them is an error.
              skipped++;
              if (skipped > Math.max(3, steps / 100)) {
                throw new IllegalStateException("non-finite gradients in " + skipped + " of " + (s + 1) + " steps");
              }
              LOG.warn("non-finite gradient at step {} (finite loss {}): update skipped", s, loss);
              continue;
            }
            trainer.step();
            if (s < window) {
              firstSum += loss;
            }
            if (s >= steps - window) {
              lastSum += loss;
            }
            if (s % 250 == 0 || s == steps - 1) {
              LOG.info(String.format(java.util.Locale.ROOT, "flow-matching step %d/%d loss %.4f (%.1f s)", s + 1,
                  steps, loss, (System.nanoTime() - start) / 1e9));
            }
          }
        }
      }
      block.syncToGraph();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    TrainingReport r = new TrainingReport(steps, skipped, firstSum / window, lastSum / window, secs);
    LOG.info("flow-matching head trained: {}", r);
    return r;
  }

  /**
   * Whether every gradient is finite; a non-finite one is reset to zero in place (DJL zeroes
   * gradients by subtracting them from themselves, which keeps a NaN).
   */
  private static boolean gradientsFinite(GraphBlock block) {
    boolean ok = true;
    for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : block.getParameters()) {
      NDArray g = p.getValue().getArray().getGradient();
      float sum;
      try (NDArray s = g.sum()) {
        sum = s.getFloat();
      }
      if (!Float.isFinite(sum)) {
        ok = false;
        g.set(new float[(int) g.size()]);
      }
    }
    return ok;
  }

  /** Builder; all settings optional, validated at {@link #build()}. */
  public static final class Builder {
    private int steps = 3000;
    private int batchSize = 256;
    private float learningRate = 1e-3f;
    private long seed = 1;
    private Parameterization parameterization = Parameterization.VELOCITY;

    private Builder() {}

    /** Optimiser steps (>= 1). */
    public Builder optSteps(int steps) {
      this.steps = steps;
      return this;
    }

    /** Pairs per step (>= 1). */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Peak Adam learning rate (> 0). */
    public Builder optLearningRate(float learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /** What the network learns to output (default {@link Parameterization#VELOCITY}). */
    public Builder optParameterization(Parameterization parameterization) {
      this.parameterization = java.util.Objects.requireNonNull(parameterization, "parameterization");
      return this;
    }

    /** Seed for pair, noise and time sampling. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds the trainer.
     *
     * @throws IllegalArgumentException naming the setting out of range
     */
    public FlowMatchingTrainer build() {
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be >= 1, got " + steps);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
      }
      if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
        throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
      }
      return new FlowMatchingTrainer(this);
    }
  }
}
