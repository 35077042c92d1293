package org.prunekit.analysis.impact;

/**
 * The class selectivity index of one neuron (Morcos et al. 2018; spec 3.9): {@code (μ_max -
 * μ_rest) / (μ_max + μ_rest)}, where {@code μ_c} is the neuron's mean activation over the images of
 * class {@code c}, {@code μ_max} the largest class mean and {@code μ_rest} the mean of the other
 * class means.
 *
 * <p>Definition chosen for activations that can be negative (GELU): class means are clamped at 0
 * first, so the index lies in {@code [0, 1]} (0: no preference, 1: active for one class only). A
 * neuron whose clamped means are all 0 has no index ({@code NaN}).
 */
public final class Selectivity {
  private Selectivity() {}

  /**
   * The index from the class means of one neuron.
   *
   * @param classMeans mean activation per class (at least two classes)
   * @return the index, or {@code NaN} when every clamped class mean is 0
   * @throws IllegalArgumentException for fewer than two classes or a NaN mean (naming the class)
   */
  public static double index(double[] classMeans) {
    if (classMeans.length < 2) {
      throw new IllegalArgumentException("selectivity needs at least 2 class means, got " + classMeans.length);
    }
    int best = 0;
    for (int c = 0; c < classMeans.length; c++) {
      if (Double.isNaN(classMeans[c])) {
        throw new IllegalArgumentException("selectivity: class " + c + " has a NaN mean activation");
      }
      if (classMeans[c] > classMeans[best]) {
        best = c;
      }
    }
    double max = Math.max(0, classMeans[best]);
    double rest = 0;
    for (int c = 0; c < classMeans.length; c++) {
      if (c != best) {
        rest += Math.max(0, classMeans[c]);
      }
    }
    rest /= classMeans.length - 1;
    double den = max + rest;
    return den == 0 ? Double.NaN : (max - rest) / den;
  }
}
