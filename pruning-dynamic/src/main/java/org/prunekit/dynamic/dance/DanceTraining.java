package org.prunekit.dynamic.dance;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.SplittableRandom;
import org.prunekit.core.exec.OneDnnSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training loops of the DANCE pipeline on the DJL PyTorch engine: dense training and AVA fine-tuning
 * of a {@link DanceNet} (both with {@link AvaLoss}, λ = 0 for plain CE), AAP controller training
 * with the backbone frozen ({@link AapTrainingBlock}), running means of each gated layer's input,
 * and batch accuracy. Training runs with oneDNN convolutions switched off ({@link OneDnnSwitch}),
 * which are switched on again afterwards.
 */
public final class DanceTraining {
  private static final Logger LOG = LoggerFactory.getLogger(DanceTraining.class);

  private DanceTraining() {}

  /**
   * Trains {@code model}'s block (initialising it for clips of {@code clips.clipShape()} if needed)
   * with Adam for {@code epochs} passes over shuffled mini-batches.
   *
   * @return the mean loss of the last epoch
   * @throws IllegalStateException if the loss becomes NaN or infinite (naming the epoch and step)
   */
  public static double train(Model model, Loss loss, MovingDigits.Clips clips, int epochs, int batch, float lr,
      long seed) {
    return train(model, loss, clips, epochs, batch, lr, seed, true);
  }

  /**
   * As {@link #train(Model, Loss, MovingDigits.Clips, int, int, float, long)}, choosing whether oneDNN
   * convolutions are switched off during training. Off is safe (libtorch 2.7.1's oneDNN backward gives
   * NaN gradients for some channel counts on AVX-512 CPUs) but ATen's own conv3d kernels are several
   * times slower; with power-of-two channel counts of 16 or more oneDNN has been fine here, and a
   * NaN loss is reported as an exception either way.
   */
  public static double train(Model model, Loss loss, MovingDigits.Clips clips, int epochs, int batch, float lr,
      long seed, boolean oneDnnOff) {
    if (epochs < 0 || batch <= 0 || !(lr > 0)) {
      throw new IllegalArgumentException("bad schedule: epochs=" + epochs + " batch=" + batch + " lr=" + lr);
    }
    Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
    DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(adam);
    Shape cs = clips.clipShape();
    double last = Double.NaN;
    // libtorch 2.7.1's oneDNN conv backward returns NaN gradients for some channel counts on this
    // CPU (docs/core.md); train on ATen's kernels and switch oneDNN back on for inference.
    boolean switched = oneDnnOff && OneDnnSwitch.disable();
    try (Trainer trainer = model.newTrainer(config)) {
      trainer.initialize(new Shape(batch, cs.get(0), cs.get(1), cs.get(2), cs.get(3)));
      SplittableRandom rng = new SplittableRandom(seed);
      int n = clips.size();
      int per = (int) cs.size();
      for (int e = 0; e < epochs; e++) {
        int[] order = permutation(n, rng);
        double sum = 0;
        int steps = 0;
        for (int s = 0; s + batch <= n; s += batch) {
          float[] xb = new float[batch * per];
          float[] yb = new float[batch];
          for (int i = 0; i < batch; i++) {
            System.arraycopy(clips.data(), order[s + i] * per, xb, i * per, per);
            yb[i] = clips.labels()[order[s + i]];
          }
          try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray x = sub.create(xb, new Shape(batch, cs.get(0), cs.get(1), cs.get(2), cs.get(3)));
            NDArray y = sub.create(yb);
            float lv;
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDList pred = trainer.forward(new NDList(x));
              NDArray l = trainer.getLoss().evaluate(new NDList(y), pred);
              lv = l.getFloat();
              if (!Float.isFinite(lv)) {
                throw new IllegalStateException("training loss is " + lv + " at epoch " + e + " step " + steps);
              }
              gc.backward(l);
            }
            trainer.step();
            sum += lv;
            steps++;
          }
        }
        last = sum / Math.max(1, steps);
        LOG.info("epoch {} loss {}", e, last);
      }
    } finally {
      if (switched) {
        OneDnnSwitch.enable();
      }
    }
    return last;
  }

  /**
   * Trains an AAP controller on a frozen net: {@link AapTrainingBlock} with its loss. The
   * controller's parameters are created in the net's NDManager (they live as long as the net's
   * model); the backbone is unfrozen again on return, also after an exception.
   *
   * @param oneDnnOff switch oneDNN convolutions off while training (see {@link #train(Model, Loss,
   *     MovingDigits.Clips, int, int, float, long, boolean)})
   * @param initialBias the initial bias of the controller's output layer (sigmoid(bias) = initial thresholds)
   */
  public static double trainController(DanceNet net, AapController controller, float[] mu, MovingDigits.Clips clips,
      float lambdaMac, float temperature, float initialBias, int epochs, int batch, float lr, long seed,
      boolean oneDnnOff) {
    return trainController(net, controller, mu, clips, lambdaMac, MacCostTarget.ZERO_SKIP, temperature, initialBias,
        epochs, batch, lr, seed, oneDnnOff);
  }

  /** As the other overload, choosing the MAC count of the cost term ({@link MacCostTarget}). */
  public static double trainController(DanceNet net, AapController controller, float[] mu, MovingDigits.Clips clips,
      float lambdaMac, MacCostTarget target, float temperature, float initialBias, int epochs, int batch, float lr,
      long seed, boolean oneDnnOff) {
    AapTrainingBlock block = new AapTrainingBlock(net, controller, mu, clips.clipShape(), temperature)
        .optCostTarget(target);
    try (Model model = Model.newInstance("dance-aap", "PyTorch")) {
      model.setBlock(block);
      Shape cs = clips.clipShape();
      // The controller's parameters live in the backbone's manager so they outlive this model.
      NDManager owner = net.conv(0).getParameters().get("weight").getArray().getManager();
      block.initialize(owner, ai.djl.ndarray.types.DataType.FLOAT32,
          new Shape(batch, cs.get(0), cs.get(1), cs.get(2), cs.get(3)));
      NDArray b = controller.outputLayer().getParameters().get("bias").getArray();
      float[] init = new float[(int) b.size()];
      java.util.Arrays.fill(init, initialBias);
      b.set(init);
      return train(model, AapTrainingBlock.loss(lambdaMac), clips, epochs, batch, lr, seed, oneDnnOff);
    } finally {
      net.freezeParameters(false);
    }
  }

  /** Mean {@code |x|} at the input of conv2..convL over the first {@code maxClips} clips. */
  public static float[] runningMeans(DanceNet net, MovingDigits.Clips clips, int maxClips, int batch) {
    int layers = net.numConvs();
    double[] sum = new double[layers - 1];
    int n = Math.min(maxClips, clips.size());
    int done = 0;
    Shape cs = clips.clipShape();
    NDManager base = net.conv(0).getParameters().get("weight").getArray().getManager();
    try (NDManager sub = base.newSubManager()) {
      ParameterStore ps = new ParameterStore(sub, false);
      for (int s = 0; s < n; s += batch) {
        int e = Math.min(n, s + batch);
        try (NDManager m = sub.newSubManager()) {
          NDArray x = m.create(clips.range(s, e), new Shape(e - s, cs.get(0), cs.get(1), cs.get(2), cs.get(3)));
          for (int l = 0; l < layers; l++) {
            if (l > 0) {
              sum[l - 1] += x.abs().mean().getFloat() * (e - s);
            }
            NDArray a = net.stage(ps, l, x, false);
            x = net.poolAfter(l) ? DanceNet.pool(a) : a;
          }
        }
        done = e;
      }
    }
    float[] mu = new float[layers - 1];
    for (int i = 0; i < mu.length; i++) {
      mu[i] = (float) (sum[i] / done);
    }
    return mu;
  }

  /** Top-1 accuracy of {@code net} (batched dense forward). */
  public static double accuracy(Block net, MovingDigits.Clips clips, int batch) {
    Shape cs = clips.clipShape();
    int correct = 0;
    NDManager base = net.getParameters().get(0).getValue().getArray().getManager();
    try (NDManager sub = base.newSubManager()) {
      ParameterStore ps = new ParameterStore(sub, false);
      for (int s = 0; s < clips.size(); s += batch) {
        int e = Math.min(clips.size(), s + batch);
        try (NDManager m = sub.newSubManager()) {
          NDArray x = m.create(clips.range(s, e), new Shape(e - s, cs.get(0), cs.get(1), cs.get(2), cs.get(3)));
          NDList out = net.forward(ps, new NDList(x), false);
          long[] pred = out.get(0).argMax(1).toLongArray();
          for (int i = 0; i < pred.length; i++) {
            if (pred[i] == clips.labels()[s + i]) {
              correct++;
            }
          }
        }
      }
    }
    return (double) correct / clips.size();
  }

  private static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
