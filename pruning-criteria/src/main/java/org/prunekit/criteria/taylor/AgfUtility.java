package org.prunekit.criteria.taylor;

import java.util.Objects;
import org.prunekit.core.tensor.TensorData;

/**
 * AGF kinetic utility of channels, neurons or heads (spec section 3.3, a <b>PROPOSAL</b> there:
 * the paper's formulas were not available, this follows the abstract's "absolute feature-space
 * Taylor expansion"):
 *
 * <pre>
 *   U_s = (1/|D|) * sum over samples x in D of |&lt;A_s(x), G_s(x)&gt;|
 * </pre>
 *
 * with {@code A_s(x)} the unit's output on sample {@code x} and {@code G_s(x) = dL(x)/dA_s(x)} the
 * gradient of <em>that sample's</em> loss. The absolute value is taken per sample, before
 * averaging, so contributions of opposite sign cannot cancel (unlike Molchanov 2017's {@code
 * |mean|} and {@link TaylorImportance}'s squared batch sum).
 *
 * <p>Per-sample gradients from one batched backward pass: for a loss that is the <em>mean</em>
 * over the batch (DJL's losses, {@link LossReduction#MEAN}, the default) the gradient at sample
 * {@code x}'s activation is {@code dL(x)/dA(x) / B}, so it is multiplied by the batch size {@code
 * B}; for a summed loss ({@link LossReduction#SUM}) it is used as is. This holds whenever samples do
 * not interact in the forward pass (inference-mode batch norm, no cross-sample ops).
 *
 * <p>Thread-safe (synchronised).
 */
public final class AgfUtility {
  /** How the loss combined the samples of a batch. */
  public enum LossReduction {
    /** The loss is the mean over the batch: per-sample gradients are {@code B} times the captured ones. */
    MEAN,
    /** The loss is the sum over the batch: the captured gradients are per-sample gradients. */
    SUM
  }

  private final String node;
  private final UnitLayout layout;
  private final LossReduction reduction;
  private double[] sum;
  private long samples;

  /** An accumulator for a batch-mean loss ({@link LossReduction#MEAN}). */
  public AgfUtility(String node, UnitLayout layout) {
    this(node, layout, LossReduction.MEAN);
  }

  /**
   * An empty accumulator.
   *
   * @param node the node whose output is scored, for messages
   * @param layout how its output groups into units
   * @param reduction how the loss combined the batch
   */
  public AgfUtility(String node, UnitLayout layout, LossReduction reduction) {
    this.node = Objects.requireNonNull(node, "node");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.reduction = Objects.requireNonNull(reduction, "reduction");
  }

  /** The node name. */
  public String node() {
    return node;
  }

  /** The unit layout. */
  public UnitLayout layout() {
    return layout;
  }

  /** How the loss combined each batch. */
  public LossReduction reduction() {
    return reduction;
  }

  /**
   * Adds one batch: the node's output and the gradient of the batch loss there.
   *
   * @throws IllegalArgumentException naming the node on a shape mismatch (also against earlier
   *     batches' unit count), an empty batch or a NaN/Inf value; nothing is added then
   */
  public void add(TensorData activation, TensorData gradient) {
    double[][] per = FeatureTaylor.perSampleInnerProducts(node, activation, gradient, layout);
    double scale = reduction == LossReduction.MEAN ? per.length : 1;
    for (double[] row : per) {
      for (int u = 0; u < row.length; u++) {
        row[u] *= scale;
      }
    }
    addSampleInnerProducts(per);
  }

  /**
   * Adds per-sample inner products {@code <A_s(x), G_s(x)>} already formed with per-sample
   * gradients ({@code [samples][units]}), e.g. {@link
   * FeatureTaylor#headInnerProductsFromOutputProjection} on batches of one sample.
   *
   * @throws IllegalArgumentException naming the node if a value is NaN/Inf, rows differ in length,
   *     or the unit count differs from earlier batches
   */
  public synchronized void addSampleInnerProducts(double[][] perSample) {
    for (double[] row : perSample) {
      FeatureTaylor.requireFinite(node, "per-sample Taylor term", row);
      int expected = sum != null ? sum.length : perSample[0].length;
      if (row.length != expected) {
        throw new IllegalArgumentException("'" + node + "' has " + expected + " units, got a sample with "
            + row.length);
      }
    }
    if (perSample.length == 0) {
      return;
    }
    if (sum == null) {
      sum = new double[perSample[0].length];
    }
    for (double[] row : perSample) {
      for (int u = 0; u < sum.length; u++) {
        sum[u] += Math.abs(row[u]);
      }
    }
    samples += perSample.length;
  }

  /** Samples added so far ({@code |D|}). */
  public synchronized long samples() {
    return samples;
  }

  /**
   * The kinetic utility per unit, {@code U_s}; lower = prune first.
   *
   * @throws IllegalArgumentException naming the node if no sample was added (empty calibration)
   */
  public synchronized double[] utilities() {
    if (samples == 0) {
      throw new IllegalArgumentException("empty calibration for '" + node + "': no sample was added to its AGF "
          + "utility");
    }
    double[] u = sum.clone();
    for (int i = 0; i < u.length; i++) {
      u[i] /= samples;
    }
    return u;
  }

  /** Forgets the added samples. */
  public synchronized void reset() {
    sum = null;
    samples = 0;
  }

  @Override
  public synchronized String toString() {
    return "AgfUtility[" + node + ", " + layout + ", " + reduction + ", samples=" + samples + "]";
  }
}
