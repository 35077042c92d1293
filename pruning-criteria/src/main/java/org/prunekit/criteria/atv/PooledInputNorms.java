package org.prunekit.criteria.atv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.prunekit.core.tensor.TensorData;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.activation.InputNorms;

/**
 * ATV's calibration statistic (spec 3.4 step 5), streamed: for each linear sub-module of one layer,
 * {@code scaler_j} = the running mean over calibration samples of the squared L2 norm of input
 * column {@code j} over that sample's pool (text tokens + selected visual tokens), each sample
 * weighing 1 regardless of its token count (Wanda's {@code add_batch} with batch size 1).
 *
 * <p>The same {@link TokenSelection} serves every linear of the layer (q, k, v, o, gate, up, down),
 * each feeding its own input activations. Sums are kept in double; only the per-column sums and the
 * sample count are stored. Not thread-safe.
 */
public final class PooledInputNorms {
  private final TokenSelection selection;
  private final Map<String, double[]> sums = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();

  /**
   * Statistics over the pools of {@code selection}.
   *
   * @param selection the layer's token selection
   */
  public PooledInputNorms(TokenSelection selection) {
    this.selection = Objects.requireNonNull(selection, "selection");
  }

  /** The token selection in use. */
  public TokenSelection selection() {
    return selection;
  }

  /**
   * Adds one sample's inputs to one linear.
   *
   * @param parameter the linear's weight parameter (qualified name), the key of the result
   * @param sample the sample's index in the selection
   * @param inputs the linear's input activations for every token of the sample, {@code [tokens,
   *     in]} or {@code [1, tokens, in]}, in the token order the selection's positions refer to
   * @throws IllegalArgumentException naming the parameter and sample if the sample index is out of
   *     range, a pool position is beyond the tokens, the width changed, or a pooled value is NaN or
   *     infinite; nothing is added then
   */
  public void accumulate(String parameter, int sample, TensorData inputs) {
    Objects.requireNonNull(parameter, "parameter");
    String where = "ATV statistics of '" + parameter + "', calibration sample " + sample;
    if (sample < 0 || sample >= selection.samples()) {
      throw new IllegalArgumentException(where + ": the selection has " + selection.samples() + " samples");
    }
    int[] th = VisualTokenSelector.tokensAndHidden(where, inputs.shape());
    int tokens = th[0];
    int width = th[1];
    double[] acc = sums.get(parameter);
    if (acc != null && acc.length != width) {
      throw new IllegalArgumentException(where + ": input width " + width + ", earlier samples had " + acc.length);
    }
    int[] pool = selection.pools().get(sample);
    float[] x = inputs.toFloatArray();
    double[] add = new double[width];
    for (int t : pool) {
      if (t >= tokens) {
        throw new IllegalArgumentException(where + ": pool position " + t + " but the inputs hold " + tokens
            + " tokens");
      }
      for (int j = 0, i = t * width; j < width; j++, i++) {
        float f = x[i];
        if (!Float.isFinite(f)) {
          throw new IllegalArgumentException(where + ": input value " + f + " at token " + t + ", column " + j);
        }
        add[j] += (double) f * f;
      }
    }
    if (acc == null) {
      sums.put(parameter, add);
    } else {
      for (int j = 0; j < width; j++) {
        acc[j] += add[j];
      }
    }
    counts.merge(parameter, 1, Integer::sum);
  }

  /**
   * The running mean over samples of the pooled squared column norms of {@code parameter}'s
   * inputs ({@code scaler}, a new array).
   *
   * @throws IllegalArgumentException naming the parameter if nothing was accumulated for it
   */
  public double[] squaredNorms(String parameter) {
    double[] s = sums.get(parameter);
    if (s == null) {
      throw new IllegalArgumentException("no ATV statistics for '" + parameter + "'; accumulated: " + sums.keySet());
    }
    int n = counts.get(parameter);
    double[] r = new double[s.length];
    for (int j = 0; j < r.length; j++) {
      r[j] = s[j] / n;
    }
    return InputNorms.fromSumSquares(parameter, r, n);
  }

  /** Samples accumulated for {@code parameter} (0 if none). */
  public int samples(String parameter) {
    return counts.getOrDefault(parameter, 0);
  }

  /** Every accumulated parameter's {@link #squaredNorms}, ready for {@link org.prunekit.criteria.Pruning}. */
  public ScoringInputs scoringInputs() {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (String p : sums.keySet()) {
      m.put(p, squaredNorms(p));
    }
    return ScoringInputs.ofNorms(m);
  }
}
