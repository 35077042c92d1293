package org.prunekit.analysis.impact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Objects;
import java.util.Random;
import org.prunekit.core.exec.DjlEnvironment;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BatchTopK sparse autoencoder (spec 3.9) trained with DJL autograd and Adam on layer
 * representations {@code x} (rows of a {@code [N, d]} tensor, e.g. one row per token):
 *
 * <pre>
 *   z = BatchTopK_{K*B}( ReLU(W_e (x - b_d) + b_e) )      x̂ = W_d z + b_d      loss = mean (x̂ - x)^2
 * </pre>
 *
 * with dictionary size {@code D}, {@code W_e [D, d]}, {@code W_d [d, D]}; {@link BatchTopK} keeps the
 * {@code K * B} largest latent activations of a batch of {@code B} rows. Initialisation: unit-norm
 * random decoder columns, {@code W_e = W_d^T}, {@code b_e = 0}, {@code b_d} = data mean. Evaluation
 * ({@link #evaluate}) applies the same BatchTopK rule per evaluation batch of {@code B} rows.
 *
 * <pre>{@code
 * try (BatchTopKSae sae = BatchTopKSae.builder().setDictionarySize(256).setK(8).build().fit(reps)) {
 *   BatchTopKSae.Metrics m = sae.evaluate(heldOut);
 * }
 * }</pre>
 */
public final class BatchTopKSae implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchTopKSae.class);

  private final Settings settings;
  private final NDManager manager;
  private final NDArray we;
  private final NDArray be;
  private final NDArray wd;
  private final NDArray bd;
  private final int inputDim;

  /**
   * Quality of the autoencoder on some data.
   *
   * @param rows rows evaluated
   * @param mse mean squared reconstruction error per element
   * @param fvu fraction of variance unexplained: {@code sum ||x - x̂||^2 / sum ||x - mean(x)||^2}
   * @param deadFraction fraction of dictionary features never non-zero on the data
   * @param l0 mean non-zero latents per row
   */
  public record Metrics(int rows, double mse, double fvu, double deadFraction, double l0) {}

  /**
   * Training settings.
   *
   * @param dictionarySize latent features {@code D}
   * @param k average active features per row
   * @param steps Adam steps
   * @param batchSize rows per batch {@code B}
   * @param learningRate Adam learning rate
   * @param seed initialisation and batch-order seed
   */
  public record Settings(int dictionarySize, int k, int steps, int batchSize, float learningRate, long seed) {
    /** Validates the values. */
    public Settings {
      if (dictionarySize < 1) {
        throw new IllegalArgumentException("SAE dictionary size must be >= 1, got " + dictionarySize);
      }
      if (k < 1 || k > dictionarySize) {
        throw new IllegalArgumentException("SAE k = " + k + " must be in [1, " + dictionarySize + "] (the dictionary size)");
      }
      if (steps < 1 || batchSize < 1 || !(learningRate > 0) || Float.isInfinite(learningRate)) {
        throw new IllegalArgumentException("SAE steps " + steps + ", batch " + batchSize + " and learning rate "
            + learningRate + " must be positive");
      }
    }

    /** Trains an autoencoder on the rows of {@code data} {@code [N, d]}. */
    public BatchTopKSae fit(Tensor data) {
      return BatchTopKSae.fit(this, data);
    }
  }

  /** A builder: dictionary size and k are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Settings}. */
  public static final class Builder {
    private int dict = -1;
    private int k = -1;
    private int steps = 1000;
    private int batch = 256;
    private float lr = 1e-3f;
    private long seed;

    private Builder() {}

    /** Dictionary size {@code D} (required). */
    public Builder setDictionarySize(int d) {
      this.dict = d;
      return this;
    }

    /** Average active latents per row {@code K} (required, at most the dictionary size). */
    public Builder setK(int k) {
      this.k = k;
      return this;
    }

    /** Adam steps (default 1000). */
    public Builder optSteps(int steps) {
      this.steps = steps;
      return this;
    }

    /** Rows per batch (default 256; capped at the data size). */
    public Builder optBatchSize(int b) {
      this.batch = b;
      return this;
    }

    /** Adam learning rate (default 1e-3). */
    public Builder optLearningRate(float lr) {
      this.lr = lr;
      return this;
    }

    /** Seed (default 0). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Validates and returns the settings. */
    public Settings build() {
      return new Settings(dict, k, steps, batch, lr, seed);
    }
  }

  private BatchTopKSae(Settings s, NDManager m, NDArray we, NDArray be, NDArray wd, NDArray bd, int inputDim) {
    this.settings = s;
    this.manager = m;
    this.we = we;
    this.be = be;
    this.wd = wd;
    this.bd = bd;
    this.inputDim = inputDim;
  }

  private static void check(Tensor data, String what) {
    Objects.requireNonNull(data, what);
    if (data.shape().rank() != 2 || data.shape().get(0) == 0 || data.shape().get(1) == 0) {
      throw new IllegalArgumentException("SAE " + what + " must be non-empty [N, d], got " + data.shape());
    }
    int bad = data.firstNonFinite();
    if (bad >= 0) {
      throw new IllegalArgumentException("SAE " + what + ": row " + bad / data.shape().get(1) + " holds "
          + data.data()[bad]);
    }
  }

  static BatchTopKSae fit(Settings s, Tensor data) {
    check(data, "training data");
    int n = data.shape().get(0);
    int d = data.shape().get(1);
    int dict = s.dictionarySize();
    int b = Math.min(s.batchSize(), n);
    Random rnd = new Random(s.seed());
    float[] dec = new float[d * dict];
    for (int j = 0; j < dict; j++) {
      double norm = 0;
      for (int i = 0; i < d; i++) {
        dec[i * dict + j] = (float) rnd.nextGaussian();
        norm += dec[i * dict + j] * dec[i * dict + j];
      }
      for (int i = 0; i < d; i++) {
        dec[i * dict + j] /= (float) Math.sqrt(norm);
      }
    }
    float[] mean = new float[d];
    float[] x = data.data();
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        mean[i] += x[r * d + i] / n;
      }
    }
    NDManager m = DjlEnvironment.newManager();
    try {
      NDArray wd = m.create(dec, new Shape(d, dict));
      NDArray we = wd.transpose().duplicate();
      NDArray be = m.zeros(new Shape(dict));
      NDArray bd = m.create(mean, new Shape(d));
      NDArray[] params = {we, be, wd, bd};
      String[] ids = {"W_e", "b_e", "W_d", "b_d"};
      for (NDArray p : params) {
        p.setRequiresGradient(true);
      }
      BatchTopKSae sae = new BatchTopKSae(s, m, we, be, wd, bd, d);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(s.learningRate())).build();
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      int pos = n;
      float loss = Float.NaN;
      for (int step = 0; step < s.steps(); step++) {
        if (pos + b > n) {
          shuffle(order, rnd);
          pos = 0;
        }
        float[] batch = new float[b * d];
        for (int r = 0; r < b; r++) {
          System.arraycopy(x, order[pos + r] * d, batch, r * d, d);
        }
        pos += b;
        try (NDManager sm = m.newSubManager()) {
          for (NDArray p : params) {
            p.tempAttach(sm); // temporaries of the step land in sm
          }
          NDArray xb = sm.create(batch, new Shape(b, d));
          try (GradientCollector gc = DjlEnvironment.engine().newGradientCollector()) {
            NDArray xhat = sae.reconstruct(sm, xb);
            NDArray l = xhat.sub(xb).square().mean();
            loss = l.getFloat();
            gc.backward(l);
          }
        }
        for (int i = 0; i < params.length; i++) {
          try (NDArray g = params[i].getGradient()) {
            adam.update(ids[i], params[i], g);
            g.subi(g);
          }
        }
        if (Float.isNaN(loss)) {
          throw new IllegalStateException("SAE training diverged (NaN loss) at step " + step);
        }
      }
      LOG.debug("BatchTopK SAE: D={}, K={}, {} steps, last batch loss {}", dict, s.k(), s.steps(), loss);
      return sae;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Latents z {@code [B, D]} of a batch (BatchTopK applied over the batch). */
  private NDArray encode(NDManager sm, NDArray xb) {
    NDArray pre = xb.sub(bd).matMul(we.transpose()).add(be).maximum(0f);
    int rows = (int) xb.getShape().get(0);
    float[] mask = BatchTopK.mask(pre.toFloatArray(), rows, settings.dictionarySize(), settings.k());
    return pre.mul(sm.create(mask, pre.getShape()));
  }

  private NDArray reconstruct(NDManager sm, NDArray xb) {
    return encode(sm, xb).matMul(wd.transpose()).add(bd);
  }

  /** The settings this autoencoder was trained with. */
  public Settings settings() {
    return settings;
  }

  /**
   * Reconstruction error, dead features and L0 on {@code data}, in batches of the training batch
   * size.
   *
   * @throws IllegalArgumentException if the data are empty, non-finite, or of another width
   */
  public Metrics evaluate(Tensor data) {
    check(data, "evaluation data");
    int n = data.shape().get(0);
    int d = data.shape().get(1);
    if (d != inputDim) {
      throw new IllegalArgumentException("SAE was trained on width " + inputDim + ", evaluation data have " + d);
    }
    int dict = settings.dictionarySize();
    float[] x = data.data();
    double[] mean = new double[d];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        mean[i] += x[r * d + i];
      }
    }
    double sst = 0;
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        double c = x[r * d + i] - mean[i] / n;
        sst += c * c;
      }
    }
    double sse = 0;
    long nonZero = 0;
    boolean[] fired = new boolean[dict];
    int b = Math.min(settings.batchSize(), n);
    for (int from = 0; from < n; from += b) {
      int to = Math.min(n, from + b);
      try (NDManager sm = manager.newSubManager()) {
        for (NDArray p : new NDArray[] {we, be, wd, bd}) {
          p.tempAttach(sm);
        }
        float[] chunk = java.util.Arrays.copyOfRange(x, from * d, to * d);
        NDArray xb = sm.create(chunk, new Shape(to - from, d));
        NDArray z = encode(sm, xb);
        float[] zz = z.toFloatArray();
        for (int i = 0; i < zz.length; i++) {
          if (zz[i] != 0f) {
            nonZero++;
            fired[i % dict] = true;
          }
        }
        sse += z.matMul(wd.transpose()).add(bd).sub(xb).square().sum().getFloat();
      }
    }
    int dead = 0;
    for (boolean f : fired) {
      dead += f ? 0 : 1;
    }
    return new Metrics(n, sse / ((double) n * d), sst == 0 ? Double.NaN : sse / sst, (double) dead / dict,
        (double) nonZero / n);
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Frees the autoencoder's arrays. */
  @Override
  public void close() {
    manager.close();
  }
}
