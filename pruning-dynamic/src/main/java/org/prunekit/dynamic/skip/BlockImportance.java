package org.prunekit.dynamic.skip;

import ai.djl.ndarray.NDArray;

/**
 * FlashU's block importance (spec §3.5 (c)): {@code imp = 1 - mean over tokens of cos(h_in,
 * h_out)}, the block's input and output hidden states; here the mean runs over every token of
 * every sample in the batch. Cosine as PyTorch's {@code cosine_similarity}: {@code a.b /
 * (max(||a||, eps) * max(||b||, eps))}, {@code eps = 1e-8}. A block that returns its input has
 * importance 0.
 */
public final class BlockImportance {
  /** The norm floor of the cosine. */
  public static final double EPS = 1e-8;

  private BlockImportance() {}

  /**
   * The importance of a block from its input and output {@code [batch, seq, dim]}.
   *
   * @throws IllegalArgumentException if the shapes differ or are not rank 3
   */
  public static double of(NDArray in, NDArray out) {
    if (!in.getShape().equals(out.getShape()) || in.getShape().dimension() != 3) {
      throw new IllegalArgumentException("block input and output must both be [batch, seq, dim], got "
          + in.getShape() + " and " + out.getShape());
    }
    NDArray dot = in.mul(out).sum(new int[] {2});
    NDArray na = in.norm(new int[] {2}).maximum((float) EPS);
    NDArray nb = out.norm(new int[] {2}).maximum((float) EPS);
    NDArray cos = dot.div(na.mul(nb));
    double mean = cos.mean().getFloat();
    for (NDArray a : new NDArray[] {dot, na, nb, cos}) {
      a.close();
    }
    return 1.0 - mean;
  }

  /** The same on heap values {@code [tokens][dim]}, for checking by hand. */
  public static double of(float[][] in, float[][] out) {
    if (in.length != out.length || in.length == 0) {
      throw new IllegalArgumentException("need the same positive number of tokens, got " + in.length + " and "
          + out.length);
    }
    double sum = 0;
    for (int t = 0; t < in.length; t++) {
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int d = 0; d < in[t].length; d++) {
        dot += (double) in[t][d] * out[t][d];
        na += (double) in[t][d] * in[t][d];
        nb += (double) out[t][d] * out[t][d];
      }
      sum += dot / (Math.max(Math.sqrt(na), EPS) * Math.max(Math.sqrt(nb), EPS));
    }
    return 1.0 - sum / in.length;
  }
}
