package org.prunekit.criteria.atv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.TensorData;

/**
 * ATV's per-layer visual-token selection (spec 3.4 steps 1-4), streamed one calibration sample at
 * a time.
 *
 * <p>{@link #addSample} takes one sample's layer input and output hidden states ({@code [tokens,
 * hidden]}, or {@code [1, tokens, hidden]}) and its modality tags, and keeps, per visual token,
 * {@code d_i = 1 - cos(h_in_i, h_out_i)} (only these distances and the text positions are stored,
 * never the hidden states). {@link #select(double)} then computes
 *
 * <pre>
 *   d̄   = mean of d_i over all visual tokens of all samples
 *   k_j = min(N_vis_j, round(min(1, α · d̄) · N_text_j))      (round = Python's half-to-even)
 * </pre>
 *
 * and selects the {@code k_j} visual tokens of each sample with the largest {@code d_i} (ties:
 * the lower position wins, the spec's SDK rule, since the reference's {@code torch.topk} leaves tie
 * order unspecified). Because {@code d̄} is pooled, adding a sample can change every sample's
 * {@code k_j}.
 *
 * <p>Cosine: {@code x·y / (max(||x||, 1e-8) · max(||y||, 1e-8))} in double (PyTorch's {@code
 * cosine_similarity} with its default eps), so a zero hidden state has cosine 0 and distance 1.
 * Not thread-safe.
 */
public final class VisualTokenSelector {
  /** PyTorch's default eps in {@code cosine_similarity}. */
  static final double COS_EPS = 1e-8;

  private final String layer;
  private final List<double[]> distances = new ArrayList<>();
  private final List<int[]> visualPositions = new ArrayList<>();
  private final List<int[]> textPositions = new ArrayList<>();
  private double distanceSum;
  private long visualCount;

  /**
   * A selector for one layer.
   *
   * @param layer the layer's name, for messages
   */
  public VisualTokenSelector(String layer) {
    this.layer = layer == null ? "layer" : layer;
  }

  /**
   * The keep count of one sample, {@code min(nVis, round_half_even(min(1, alpha * meanDistance) *
   * nText))}.
   *
   * @throws IllegalArgumentException if alpha or meanDistance is negative or not finite, or a count
   *     is negative
   */
  public static int keepCount(double meanDistance, double alpha, int nText, int nVis) {
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("ATV alpha must be finite and >= 0, got " + alpha);
    }
    if (!(meanDistance >= 0) || Double.isInfinite(meanDistance)) {
      throw new IllegalArgumentException("ATV mean distance must be finite and >= 0, got " + meanDistance);
    }
    if (nText < 0 || nVis < 0) {
      throw new IllegalArgumentException("token counts must be >= 0, got nText=" + nText + ", nVis=" + nVis);
    }
    // Math.rint rounds half to even, like Python 3's round(); Math.round would round 2.5 up to 3.
    double k = Math.rint(Math.min(1.0, alpha * meanDistance) * nText);
    return (int) Math.min(nVis, k);
  }

  /**
   * {@code 1 - cos(x, y)} with PyTorch's eps handling, in double.
   */
  public static double cosineDistance(float[] x, int xOff, float[] y, int yOff, int n) {
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < n; i++) {
      double a = x[xOff + i];
      double b = y[yOff + i];
      dot += a * b;
      nx += a * a;
      ny += b * b;
    }
    double cos = dot / (Math.max(Math.sqrt(nx), COS_EPS) * Math.max(Math.sqrt(ny), COS_EPS));
    return 1.0 - cos;
  }

  /**
   * Adds one calibration sample.
   *
   * @param visual per token, true for a visual (image) token, false for text
   * @param layerInput the layer's input hidden states, {@code [tokens, hidden]} or {@code [1,
   *     tokens, hidden]}
   * @param layerOutput the layer's output hidden states, same shape
   * @return the sample's index
   * @throws IllegalArgumentException naming the layer and sample if shapes disagree with each other
   *     or with the tags, or a value is NaN or infinite; nothing is added then
   */
  public int addSample(boolean[] visual, TensorData layerInput, TensorData layerOutput) {
    int sample = distances.size();
    String where = "layer '" + layer + "', calibration sample " + sample;
    Shape si = layerInput.shape();
    Shape so = layerOutput.shape();
    if (!si.equals(so)) {
      throw new IllegalArgumentException(where + ": layer input " + si + " and output " + so + " differ in shape");
    }
    int[] th = tokensAndHidden(where, si);
    int tokens = th[0];
    int hidden = th[1];
    if (visual.length != tokens) {
      throw new IllegalArgumentException(where + ": " + visual.length + " modality tags for " + tokens + " tokens");
    }
    float[] in = layerInput.toFloatArray();
    float[] out = layerOutput.toFloatArray();
    requireFinite(where + ", layer input", in);
    requireFinite(where + ", layer output", out);
    int nVis = 0;
    for (boolean v : visual) {
      nVis += v ? 1 : 0;
    }
    double[] d = new double[nVis];
    int[] vis = new int[nVis];
    int[] text = new int[tokens - nVis];
    double sum = 0;
    for (int t = 0, v = 0, x = 0; t < tokens; t++) {
      if (visual[t]) {
        d[v] = cosineDistance(in, t * hidden, out, t * hidden, hidden);
        sum += d[v];
        vis[v++] = t;
      } else {
        text[x++] = t;
      }
    }
    distances.add(d);
    visualPositions.add(vis);
    textPositions.add(text);
    distanceSum += sum;
    visualCount += nVis;
    return sample;
  }

  /** Number of samples added. */
  public int samples() {
    return distances.size();
  }

  /** The distances {@code d_i} of sample {@code j}'s visual tokens, in position order (a copy). */
  public double[] distances(int sample) {
    return distances.get(sample).clone();
  }

  /** {@code d̄}: the mean distance over all visual tokens so far (0 if there are none). */
  public double meanDistance() {
    return visualCount == 0 ? 0.0 : distanceSum / visualCount;
  }

  /**
   * Selects the calibration pool of every sample.
   *
   * @param alpha ATV's {@code α} (1 by default in the reference)
   * @throws IllegalArgumentException if no sample was added (empty calibration) or alpha is invalid
   */
  public TokenSelection select(double alpha) {
    if (distances.isEmpty()) {
      throw new IllegalArgumentException("empty calibration for layer '" + layer + "': no samples were added");
    }
    double mean = meanDistance();
    int n = distances.size();
    int[] ks = new int[n];
    List<int[]> pools = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      int[] text = textPositions.get(j);
      int[] vis = visualPositions.get(j);
      int k = keepCount(mean, alpha, text.length, vis.length);
      ks[j] = k;
      int[] chosen = topK(distances.get(j), k);
      int[] pool = Arrays.copyOf(text, text.length + k);
      for (int i = 0; i < k; i++) {
        pool[text.length + i] = vis[chosen[i]];
      }
      Arrays.sort(pool, text.length, pool.length);
      pools.add(pool);
    }
    return new TokenSelection(mean, alpha, ks, pools);
  }

  /** Indices of the {@code k} largest values (ties: lower index first), ascending. */
  static int[] topK(double[] d, int k) {
    Integer[] order = new Integer[d.length];
    for (int i = 0; i < d.length; i++) {
      order[i] = i;
    }
    // stable sort, descending by value: equal values keep ascending index order
    Arrays.sort(order, (a, b) -> Double.compare(d[b], d[a]));
    int[] r = new int[k];
    for (int i = 0; i < k; i++) {
      r[i] = order[i];
    }
    Arrays.sort(r);
    return r;
  }

  static int[] tokensAndHidden(String where, Shape s) {
    if (s.rank() == 2) {
      return new int[] {s.get(0), s.get(1)};
    }
    if (s.rank() == 3 && s.get(0) == 1) {
      return new int[] {s.get(1), s.get(2)};
    }
    throw new IllegalArgumentException(where + ": hidden states of shape " + s
        + " are not [tokens, hidden] or [1, tokens, hidden] (one sample at a time)");
  }

  static void requireFinite(String where, float[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(where + " holds " + v[i] + " at flat index " + i);
      }
    }
  }
}
