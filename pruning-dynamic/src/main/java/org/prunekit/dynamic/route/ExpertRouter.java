package org.prunekit.dynamic.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.cost.CostModel;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.dynamic.InferenceCost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Light/heavy expert routing (spec 3.3, "hybrid routing", a PROPOSAL there): every input runs the
 * light expert (an AGF-pruned, physically smaller classifier, see {@link AgfLightExpert}); the
 * {@link ConfidencePrior} of its logits decides whether the input is also run through the heavy
 * expert (the dense model), whose output then replaces the light one.
 *
 * <pre>{@code
 * try (ExpertRouter router = ExpertRouter.builder().setLight(light).setHeavy(dense)
 *     .setThreshold(0.9).build()) {
 *   ThresholdCalibration cal = router.calibrate(valImages, valLabels, 0.0);
 *   router.setThreshold(cal.threshold());        // smallest cost that keeps dense accuracy
 *   RoutedBatch r = router.route(testImages);    // only escalated rows run the heavy expert
 * }
 * }</pre>
 *
 * <p>Real work is skipped: the heavy expert runs once per batch on a new tensor holding only the
 * escalated rows (none when no row escalates). Per input cost: MACs and bytes of the light expert
 * ({@link CostModel} at batch 1), plus the heavy expert's for escalated inputs; network evaluations
 * 1 or 2; counter {@code heavyUsed} 0 or 1. Owns two engine executors: close it. The threshold may
 * be changed between calls ({@link #setThreshold}); instances are not thread-safe.
 */
public final class ExpertRouter implements AutoCloseable {
  /** The name of the per-input counter that is 1 when the heavy expert ran. */
  public static final String HEAVY_USED = "heavyUsed";

  private static final Logger LOG = LoggerFactory.getLogger(ExpertRouter.class);

  private final Graph light;
  private final Graph heavy;
  private final ConfidencePrior prior;
  private final int classes;
  private final Shape sampleShape;
  private final InferenceCost lightCost;
  private final InferenceCost heavyCost;
  private final GraphExecutor lightExec;
  private final GraphExecutor heavyExec;
  private double threshold;

  private ExpertRouter(Builder b, int classes) {
    this.light = b.light;
    this.heavy = b.heavy;
    this.prior = b.prior;
    this.classes = classes;
    this.sampleShape = b.light.inputs().get(0).sampleShape();
    this.threshold = b.threshold;
    CostTotals lc = CostModel.of(light, 1).total();
    CostTotals hc = CostModel.of(heavy, 1).total();
    this.lightCost = InferenceCost.of(lc.macs(), lc.bytesAccessed(), 1).withCounter(HEAVY_USED, 0);
    this.heavyCost = InferenceCost.of(hc.macs(), hc.bytesAccessed(), 1);
    if (lc.macs() >= hc.macs()) {
      LOG.warn("light expert costs {} MACs per input, not less than the heavy expert's {}: routing cannot save work",
          lc.macs(), hc.macs());
    }
    this.lightExec = GraphExecutor.create(light);
    GraphExecutor h;
    try {
      h = GraphExecutor.create(heavy);
    } catch (RuntimeException e) {
      lightExec.close();
      throw e;
    }
    this.heavyExec = h;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Routes one batch: light expert on all rows, heavy expert on the rows whose prior escalates.
   *
   * @param input {@code [batch, sample...]} with the experts' input sample shape
   * @throws IllegalArgumentException naming the shape if the input does not fit, the row if a
   *     light logit is NaN/Inf, or the shapes if the heavy expert's output differs
   */
  public RoutedBatch route(Tensor input) {
    Objects.requireNonNull(input, "input");
    Shape s = input.shape();
    if (s.rank() != sampleShape.rank() + 1 || !s.dropFirst().equals(sampleShape)) {
      throw new IllegalArgumentException("router input has shape " + s + "; the experts take [batch, "
          + sampleShape + "]");
    }
    int n = s.get(0);
    Tensor lo = lightExec.predict(input);
    checkOutput("light", lo, n);
    double[] priors = new double[n];
    boolean[] heavyUsed = new boolean[n];
    List<Integer> esc = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      priors[i] = prior.score(lo.data(), i, classes);
      if (prior.escalates(priors[i], threshold)) {
        heavyUsed[i] = true;
        esc.add(i);
      }
    }
    float[] out = lo.data().clone();
    if (!esc.isEmpty()) {
      int per = (int) sampleShape.size();
      float[] sub = new float[esc.size() * per];
      for (int j = 0; j < esc.size(); j++) {
        System.arraycopy(input.data(), esc.get(j) * per, sub, j * per, per);
      }
      Tensor ho = heavyExec.predict(new Tensor(s.with(0, esc.size()), sub));
      checkOutput("heavy", ho, esc.size());
      for (int j = 0; j < esc.size(); j++) {
        System.arraycopy(ho.data(), j * classes, out, esc.get(j) * classes, classes);
      }
    }
    List<InferenceCost> costs = new ArrayList<>(n);
    InferenceCost escalated = lightCost.plus(heavyCost).withCounter(HEAVY_USED, 1);
    for (int i = 0; i < n; i++) {
      costs.add(heavyUsed[i] ? escalated : lightCost);
    }
    return new RoutedBatch(new Tensor(new Shape(n, classes), out), priors, heavyUsed, costs);
  }

  /** Runs only the light expert on a batch ({@code [batch, classes]} logits). */
  public Tensor predictLight(Tensor input) {
    Tensor t = lightExec.predict(input);
    checkOutput("light", t, input.shape().get(0));
    return t;
  }

  /** Runs only the heavy (dense) expert on a batch ({@code [batch, classes]} logits). */
  public Tensor predictHeavy(Tensor input) {
    Tensor t = heavyExec.predict(input);
    checkOutput("heavy", t, input.shape().get(0));
    return t;
  }

  /**
   * Calibrates the threshold on a validation split (see {@link ThresholdCalibration#search}): both
   * experts run on every validation input once, then the exact search picks the smallest cost whose
   * routed accuracy is at least the dense accuracy minus {@code tolerance}. The router's threshold is
   * not changed; pass the result to {@link #setThreshold}.
   *
   * @param images validation inputs {@code [n, sample...]}
   * @param labels the true class of each
   * @param tolerance accuracy (a fraction) that may be given up against the dense model, {@code >= 0}
   */
  public ThresholdCalibration calibrate(Tensor images, int[] labels, double tolerance) {
    Tensor lo = predictLight(images);
    Tensor ho = predictHeavy(images);
    return ThresholdCalibration.search(prior, lo, ho, labels, lightCostFraction(), tolerance);
  }

  /**
   * Sets the threshold.
   *
   * @throws IllegalArgumentException if it is outside the prior's range
   */
  public void setThreshold(double threshold) {
    prior.checkThreshold(threshold, classes);
    this.threshold = threshold;
  }

  /** The current threshold. */
  public double threshold() {
    return threshold;
  }

  /** The prior. */
  public ConfidencePrior prior() {
    return prior;
  }

  /** Number of classes of both experts. */
  public int classes() {
    return classes;
  }

  /** Cost of one input through the light expert only. */
  public InferenceCost lightCost() {
    return lightCost;
  }

  /** Cost of one input through the heavy (dense) expert only: the dense baseline. */
  public InferenceCost heavyCost() {
    return heavyCost;
  }

  /** {@code c_L}: the light expert's MACs over the heavy expert's (spec 3.3's normalised cost). */
  public double lightCostFraction() {
    return heavyCost.macs() == 0 ? 0 : (double) lightCost.macs() / heavyCost.macs();
  }

  /** The light expert graph. */
  public Graph light() {
    return light;
  }

  /** The heavy expert graph. */
  public Graph heavy() {
    return heavy;
  }

  @Override
  public void close() {
    try {
      lightExec.close();
    } finally {
      heavyExec.close();
    }
  }

  private void checkOutput(String which, Tensor t, int rows) {
    if (t.shape().rank() != 2 || t.shape().get(0) != rows || t.shape().get(1) != classes) {
      throw new IllegalArgumentException(which + " expert returned shape " + t.shape() + ", expected [" + rows + ", "
          + classes + "]");
    }
  }

  /** Builder: {@code setLight}, {@code setHeavy} and {@code setThreshold} are required. */
  public static final class Builder {
    private Graph light;
    private Graph heavy;
    private ConfidencePrior prior = ConfidencePrior.MAX_SOFTMAX;
    private double threshold = Double.NaN;

    private Builder() {}

    /** The light expert (e.g. {@link AgfLightExpert#pruned()}). */
    public Builder setLight(Graph light) {
      this.light = Objects.requireNonNull(light, "light");
      return this;
    }

    /** The heavy expert (the dense model). */
    public Builder setHeavy(Graph heavy) {
      this.heavy = Objects.requireNonNull(heavy, "heavy");
      return this;
    }

    /** The threshold {@code τ}, in the prior's range. */
    public Builder setThreshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /** The prior (default {@link ConfidencePrior#MAX_SOFTMAX}). */
    public Builder optPrior(ConfidencePrior prior) {
      this.prior = Objects.requireNonNull(prior, "prior");
      return this;
    }

    /**
     * Validates and opens both experts on the engine.
     *
     * @throws IllegalArgumentException if an expert is missing, either has not exactly one input and
     *     one output, the input sample shapes differ, the output shapes differ (naming both) or are
     *     not {@code [batch, classes >= 2]}, or the threshold is outside the prior's range
     */
    public ExpertRouter build() {
      if (light == null || heavy == null) {
        throw new IllegalArgumentException("expert router needs both experts (setLight, setHeavy)");
      }
      for (Graph g : List.of(light, heavy)) {
        String w = g == light ? "light" : "heavy";
        if (g.inputs().size() != 1 || g.outputs().size() != 1) {
          throw new IllegalArgumentException(w + " expert must have one input and one output, has "
              + g.inputs().size() + " and " + g.outputs().size());
        }
      }
      Shape li = light.inputs().get(0).sampleShape();
      Shape hi = heavy.inputs().get(0).sampleShape();
      if (!li.equals(hi)) {
        throw new IllegalArgumentException("light expert input sample shape " + li + " differs from heavy expert's "
            + hi);
      }
      Shape lo = light.inferShapes(1).get(light.outputs().get(0));
      Shape ho = heavy.inferShapes(1).get(heavy.outputs().get(0));
      if (!lo.equals(ho)) {
        throw new IllegalArgumentException("light expert output '" + light.outputs().get(0) + "' has shape " + lo
            + " but heavy expert output '" + heavy.outputs().get(0) + "' has " + ho + "; routing needs equal shapes");
      }
      if (lo.rank() != 2 || lo.get(1) < 2) {
        throw new IllegalArgumentException("expert output shape " + lo + " is not [batch, classes >= 2]");
      }
      if (Double.isNaN(threshold)) {
        throw new IllegalArgumentException("expert router needs a threshold (setThreshold), NaN given or unset");
      }
      prior.checkThreshold(threshold, lo.get(1));
      return new ExpertRouter(this, lo.get(1));
    }
  }
}
