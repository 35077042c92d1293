package org.prunekit.criteria.taylor;

import java.util.Objects;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;

/**
 * The feature-space first-order Taylor term shared by {@link TaylorImportance} and {@link
 * AgfUtility}: for a unit {@code s} and a sample {@code x}, {@code <A_s(x), G_s(x)>}, the inner
 * product of the unit's output with the loss gradient at that output (summed over positions,
 * tokens and, for heads, the head's dims). To first order, zeroing the unit changes the loss by
 * {@code -<A_s, G_s>}.
 */
public final class FeatureTaylor {
  private FeatureTaylor() {}

  /**
   * Per sample and unit, {@code <A_s(x), G_s(x)>}.
   *
   * @param node the node, for messages
   * @param activation the node's output {@code [batch, ...]}
   * @param gradient the loss gradient at that output, same shape
   * @param layout how elements group into units
   * @return {@code [batch][units]}
   * @throws IllegalArgumentException naming the node if the shapes differ or do not fit the
   *     layout, the batch is empty, or a value is NaN or infinite
   */
  public static double[][] perSampleInnerProducts(String node, TensorData activation, TensorData gradient,
      UnitLayout layout) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(layout, "layout");
    Shape s = activation.shape();
    if (!s.equals(gradient.shape())) {
      throw new IllegalArgumentException("activation of '" + node + "' has shape " + s + " but its gradient has "
          + gradient.shape());
    }
    int units = layout.units(node, s);
    int batch = s.get(0);
    if (batch == 0) {
      throw new IllegalArgumentException("empty calibration batch for '" + node + "': output shape " + s);
    }
    float[] a = activation.toFloatArray();
    float[] g = gradient.toFloatArray();
    requireFinite(node, "activation", a, s);
    requireFinite(node, "gradient", g, s);
    int perSample = a.length / batch;
    double[][] out = new double[batch][units];
    for (int n = 0; n < batch; n++) {
      double[] o = out[n];
      int base = n * perSample;
      switch (layout.kind()) {
        case CHANNEL -> {
          int spatial = perSample / units;
          for (int c = 0; c < units; c++) {
            double sum = 0;
            int off = base + c * spatial;
            for (int k = 0; k < spatial; k++) {
              sum += (double) a[off + k] * g[off + k];
            }
            o[c] = sum;
          }
        }
        case NEURON, HEAD -> {
          int width = s.get(s.rank() - 1);
          int dim = layout.kind() == UnitLayout.Kind.HEAD ? layout.headDim() : 1;
          for (int k = 0; k < perSample; k++) {
            o[(k % width) / dim] += (double) a[base + k] * g[base + k];
          }
        }
        default -> throw new IllegalStateException("unknown layout " + layout);
      }
    }
    return out;
  }

  /**
   * Per attention head, {@code <z_h, dL/dz_h>} summed over the batch and tokens, from the output
   * projection's weight {@code O [modelDim, H*D]} and its loss gradient: the exact identity
   * {@code sum over i and j in head h of O_ij * dL/dO_ij}. It gives head scores for fused attention
   * ops, whose head outputs {@code z} are not a graph node (the parameter gradients of {@code
   * org.prunekit.core.exec.GradientCapture} suffice). Feed batches of one sample to get
   * per-sample values (for {@link AgfUtility}).
   *
   * @param node the attention node, for messages
   * @throws IllegalArgumentException naming the node if the shapes differ, are not {@code [*,
   *     numHeads*headDim]}, or hold NaN/Inf
   */
  public static double[] headInnerProductsFromOutputProjection(String node, TensorData outputWeight,
      TensorData outputWeightGradient, int numHeads, int headDim) {
    UnitLayout layout = UnitLayout.heads(numHeads, headDim);
    Shape s = outputWeight.shape();
    if (s.rank() != 2 || !s.equals(outputWeightGradient.shape())) {
      throw new IllegalArgumentException("output projection of '" + node + "' has shape " + s + " and gradient "
          + outputWeightGradient.shape() + "; need the same [modelDim, heads*headDim]");
    }
    layout.units(node, s);
    float[] w = outputWeight.toFloatArray();
    float[] g = outputWeightGradient.toFloatArray();
    requireFinite(node, "output projection weight", w, s);
    requireFinite(node, "output projection gradient", g, s);
    double[] out = new double[numHeads];
    int width = s.get(1);
    for (int k = 0; k < w.length; k++) {
      out[(k % width) / headDim] += (double) w[k] * g[k];
    }
    return out;
  }

  static void requireFinite(String node, String what, float[] v, Shape s) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(what + " of '" + node + "' is " + v[i] + " at flat index " + i + " (shape "
            + s + ")");
      }
    }
  }

  static void requireFinite(String node, String what, double[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(what + " of '" + node + "' is " + v[i] + " at unit " + i);
      }
    }
  }
}
