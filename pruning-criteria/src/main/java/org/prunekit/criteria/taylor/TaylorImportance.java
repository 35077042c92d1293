package org.prunekit.criteria.taylor;

import java.util.Objects;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;

/**
 * First-order Taylor importance of channels, neurons or heads (spec B5; Molchanov et al., CVPR
 * 2019, the recommended "Taylor-FO on a gate" variant, method 22 of [Taylor-code]).
 *
 * <p>A virtual gate {@code m_u = 1} multiplies unit {@code u}'s output; its gradient is {@code
 * dL/dm_u = <A_u, G_u>} summed over the mini-batch (samples, positions, tokens, head dims) with
 * {@code G} the gradient of the mini-batch loss as the training loop computes it (the mean over the
 * batch for the usual losses). Per mini-batch the score is {@code (dL/dm_u)^2 = (m_u * dL/dm_u)^2},
 * and {@link #scores()} is the average over the mini-batches added (the reference accumulates
 * {@code frequency = 30} batches and divides by their number). No per-layer normalisation by
 * default ({@link #l2Normalized} is the reference's option); {@link #momentum} is the reference's
 * smoothing across pruning iterations (0.9).
 *
 * <pre>{@code
 * TaylorImportance t = new TaylorImportance("conv1", UnitLayout.channels());
 * for (batch : calibration) t.add(activationOfConv1, gradientAtConv1); // e.g. via TaylorCapture
 * double[] scores = t.scores(); // lower = prune first
 * }</pre>
 *
 * <p>Thread-safe (synchronised).
 */
public final class TaylorImportance {
  /** The reference's momentum across pruning iterations. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  private final String node;
  private final UnitLayout layout;
  private double[] sum;
  private int batches;

  /**
   * An empty accumulator.
   *
   * @param node the node whose output is scored, for messages
   * @param layout how its output groups into units
   */
  public TaylorImportance(String node, UnitLayout layout) {
    this.node = Objects.requireNonNull(node, "node");
    this.layout = Objects.requireNonNull(layout, "layout");
  }

  /** The node name. */
  public String node() {
    return node;
  }

  /** The unit layout. */
  public UnitLayout layout() {
    return layout;
  }

  /**
   * One mini-batch's score per unit: {@code (sum over the batch of <A_u(x), G_u(x)>)^2}.
   *
   * @throws IllegalArgumentException as {@link FeatureTaylor#perSampleInnerProducts}
   */
  public static double[] batchScores(String node, TensorData activation, TensorData gradient, UnitLayout layout) {
    double[] t = gateGradients(node, activation, gradient, layout);
    for (int u = 0; u < t.length; u++) {
      t[u] *= t[u];
    }
    return t;
  }

  /** Per unit {@code dL/dm_u = sum over the batch of <A_u(x), G_u(x)>}. */
  static double[] gateGradients(String node, TensorData activation, TensorData gradient, UnitLayout layout) {
    double[][] per = FeatureTaylor.perSampleInnerProducts(node, activation, gradient, layout);
    double[] t = new double[per[0].length];
    for (double[] row : per) {
      for (int u = 0; u < t.length; u++) {
        t[u] += row[u];
      }
    }
    return t;
  }

  /**
   * Adds one mini-batch from the node's output and the loss gradient there.
   *
   * @throws IllegalArgumentException naming the node on a shape mismatch (also against earlier
   *     batches' unit count), an empty batch or a NaN/Inf value; nothing is added then
   */
  public void add(TensorData activation, TensorData gradient) {
    addGateGradients(gateGradients(node, activation, gradient, layout));
  }

  /**
   * Adds one mini-batch given the gate gradients {@code dL/dm_u} directly (e.g. from {@link
   * FeatureTaylor#headInnerProductsFromOutputProjection} for fused attention heads).
   *
   * @throws IllegalArgumentException naming the node if a value is NaN/Inf or the unit count
   *     differs from earlier batches
   */
  public synchronized void addGateGradients(double[] gateGradients) {
    FeatureTaylor.requireFinite(node, "gate gradient", gateGradients);
    if (sum != null && sum.length != gateGradients.length) {
      throw new IllegalArgumentException("'" + node + "' had " + sum.length + " units in earlier batches, now "
          + gateGradients.length);
    }
    if (sum == null) {
      sum = new double[gateGradients.length];
    }
    for (int u = 0; u < sum.length; u++) {
      sum[u] += gateGradients[u] * gateGradients[u];
    }
    batches++;
  }

  /** Mini-batches added so far. */
  public synchronized int batches() {
    return batches;
  }

  /**
   * The importance per unit: the mean over the added mini-batches of {@code (dL/dm_u)^2}.
   *
   * @throws IllegalArgumentException naming the node if no batch was added (empty calibration)
   */
  public synchronized double[] scores() {
    if (batches == 0) {
      throw new IllegalArgumentException("empty calibration for '" + node + "': no batch was added to its Taylor "
          + "importance");
    }
    double[] s = sum.clone();
    for (int u = 0; u < s.length; u++) {
      s[u] /= batches;
    }
    return s;
  }

  /** Forgets the added batches (the reference resets after every pruning iteration). */
  public synchronized void reset() {
    sum = null;
    batches = 0;
  }

  /**
   * The reference's smoothing across pruning iterations: {@code current} on the first iteration
   * ({@code previous == null}), else {@code momentum * previous + (1 - momentum) * current}.
   *
   * @throws IllegalArgumentException if the lengths differ or {@code momentum} is not in [0, 1]
   */
  public static double[] momentum(double[] previous, double[] current, double momentum) {
    Objects.requireNonNull(current, "current");
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
    }
    if (previous == null) {
      return current.clone();
    }
    if (previous.length != current.length) {
      throw new IllegalArgumentException("momentum: previous scores have " + previous.length + " units, current "
          + current.length);
    }
    double[] out = new double[current.length];
    for (int u = 0; u < out.length; u++) {
      out[u] = momentum * previous[u] + (1 - momentum) * current[u];
    }
    return out;
  }

  /** The reference's optional per-layer normalisation {@code s / (||s||_2 + 1e-8)}. */
  public static double[] l2Normalized(double[] scores) {
    double n = 0;
    for (double v : scores) {
      n += v * v;
    }
    double d = Math.sqrt(n) + 1e-8;
    double[] out = scores.clone();
    for (int u = 0; u < out.length; u++) {
      out[u] /= d;
    }
    return out;
  }

  /**
   * The reference's weight-based variant (method 0) for one mini-batch: per output row (filter)
   * {@code sum over the row of (w * dL/dw)^2}, the weight viewed as {@code [out, rest]}.
   *
   * @throws IllegalArgumentException naming the parameter if the shapes differ, the rank is below
   *     1, or a value is NaN/Inf
   */
  public static double[] weightRowScores(String parameter, TensorData weight, TensorData gradient) {
    Shape s = weight.shape();
    if (s.rank() < 1 || !s.equals(gradient.shape())) {
      throw new IllegalArgumentException("weight of '" + parameter + "' has shape " + s + " but its gradient has "
          + gradient.shape());
    }
    float[] w = weight.toFloatArray();
    float[] g = gradient.toFloatArray();
    FeatureTaylor.requireFinite(parameter, "weight", w, s);
    FeatureTaylor.requireFinite(parameter, "gradient", g, s);
    int rows = s.get(0);
    int per = rows == 0 ? 0 : w.length / rows;
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      for (int k = r * per; k < (r + 1) * per; k++) {
        double p = (double) w[k] * g[k];
        out[r] += p * p;
      }
    }
    return out;
  }

  @Override
  public synchronized String toString() {
    return "TaylorImportance[" + node + ", " + layout + ", batches=" + batches + "]";
  }
}
