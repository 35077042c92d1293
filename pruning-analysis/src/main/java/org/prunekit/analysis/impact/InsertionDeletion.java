package org.prunekit.analysis.impact;

import java.util.Arrays;
import java.util.Objects;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * RISE-style insertion and deletion curves over image patches (spec 3.9).
 *
 * <p>Patches are ordered by attribution, largest first (ties: lower patch index first). For {@code
 * T} patches the curves have {@code T + 1} points, at fractions {@code k / T} of patches changed,
 * {@code k = 0..T}:
 *
 * <ul>
 *   <li>deletion: the image with its top-{@code k} patches replaced by the baseline value;
 *   <li>insertion: the all-baseline image with the top-{@code k} patches of the image put back.
 * </ul>
 *
 * Each point is the target class probability; the score is the area under the curve by the
 * trapezoid rule over {@code [0, 1]}. A faithful attribution has a low deletion AUC and a high
 * insertion AUC.
 */
public final class InsertionDeletion {
  private InsertionDeletion() {}

  /** Target-class probabilities of a batch of patch images {@code [N, T, P]}. */
  @FunctionalInterface
  public interface ProbabilityModel {
    /**
     * @param patches images {@code [N, T, P]}
     * @param targets one class per image
     * @return the probability of each image's target class
     */
    float[] probabilities(Tensor patches, int[] targets);
  }

  /**
   * Both curves of one image.
   *
   * @param insertion probability after inserting the top {@code k} patches, {@code k = 0..T}
   * @param deletion probability after deleting the top {@code k} patches, {@code k = 0..T}
   */
  public record Curves(double[] insertion, double[] deletion) {
    /** Copies the arrays and checks they have equal lengths of at least 2. */
    public Curves {
      insertion = insertion.clone();
      deletion = deletion.clone();
      if (insertion.length != deletion.length || insertion.length < 2) {
        throw new IllegalArgumentException("curves need equal lengths >= 2, got " + insertion.length + " and " + deletion.length);
      }
    }

    /** Trapezoid area under the insertion curve. */
    public double insertionAuc() {
      return trapezoidAuc(insertion);
    }

    /** Trapezoid area under the deletion curve. */
    public double deletionAuc() {
      return trapezoidAuc(deletion);
    }
  }

  /**
   * Area under a curve sampled at equally spaced fractions {@code 0, 1/(n-1), ..., 1} by the
   * trapezoid rule: {@code sum_i (y_i + y_{i+1}) / 2 / (n-1)}.
   *
   * @throws IllegalArgumentException for fewer than 2 points or a NaN (naming the point)
   */
  public static double trapezoidAuc(double[] curve) {
    if (curve.length < 2) {
      throw new IllegalArgumentException("AUC needs at least 2 curve points, got " + curve.length);
    }
    double area = 0;
    for (int i = 0; i < curve.length; i++) {
      if (Double.isNaN(curve[i])) {
        throw new IllegalArgumentException("AUC: curve point " + i + " is NaN");
      }
      if (i > 0) {
        area += (curve[i - 1] + curve[i]) / 2;
      }
    }
    return area / (curve.length - 1);
  }

  /**
   * Patch indices by attribution, largest first; equal attributions by lower index.
   *
   * @throws IllegalArgumentException if an attribution is NaN (naming the patch)
   */
  public static int[] order(float[] attribution) {
    Integer[] idx = new Integer[attribution.length];
    for (int i = 0; i < idx.length; i++) {
      if (Float.isNaN(attribution[i])) {
        throw new IllegalArgumentException("attribution of patch " + i + " is NaN");
      }
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> {
      int c = Float.compare(attribution[b], attribution[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  /**
   * The curves of one image, evaluated as one batch of {@code 2 (T + 1)} images.
   *
   * @param model the classifier
   * @param image one image {@code [T, P]} (or {@code [1, T, P]})
   * @param attribution one score per patch
   * @param target the class whose probability is tracked
   * @param baseline the value a removed patch takes (e.g. 0)
   * @throws IllegalArgumentException if the attribution length is not {@code T}, or a value is NaN
   */
  public static Curves curves(ProbabilityModel model, Tensor image, float[] attribution, int target, float baseline) {
    Objects.requireNonNull(model, "model");
    Shape s = image.shape();
    int t = s.get(s.rank() - 2);
    int p = s.get(s.rank() - 1);
    if (s.size() != (long) t * p) {
      throw new IllegalArgumentException("curves need one image [T, P], got " + s);
    }
    if (attribution.length != t) {
      throw new IllegalArgumentException("attribution has " + attribution.length + " values for " + t + " patches");
    }
    if (Float.isNaN(baseline)) {
      throw new IllegalArgumentException("baseline value is NaN");
    }
    int[] order = order(attribution);
    float[] x = image.data();
    int per = t * p;
    int n = 2 * (t + 1);
    float[] batch = new float[n * per];
    for (int k = 0; k <= t; k++) {
      int del = k * per;
      int ins = (t + 1 + k) * per;
      System.arraycopy(x, 0, batch, del, per);
      Arrays.fill(batch, ins, ins + per, baseline);
      for (int r = 0; r < k; r++) {
        int patch = order[r];
        Arrays.fill(batch, del + patch * p, del + (patch + 1) * p, baseline);
        System.arraycopy(x, patch * p, batch, ins + patch * p, p);
      }
    }
    int[] targets = new int[n];
    Arrays.fill(targets, target);
    float[] prob = model.probabilities(new Tensor(new Shape(n, t, p), batch), targets);
    if (prob.length != n) {
      throw new IllegalStateException("model returned " + prob.length + " probabilities for " + n + " images");
    }
    double[] deletion = new double[t + 1];
    double[] insertion = new double[t + 1];
    for (int k = 0; k <= t; k++) {
      deletion[k] = prob[k];
      insertion[k] = prob[t + 1 + k];
    }
    return new Curves(insertion, deletion);
  }
}
