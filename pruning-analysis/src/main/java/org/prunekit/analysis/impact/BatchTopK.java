package org.prunekit.analysis.impact;

import java.util.Arrays;
import java.util.Objects;

/**
 * BatchTopK selection (Bussmann et al.; spec 3.9): of a batch of {@code B} non-negative latent
 * activation vectors of {@code D} features, keep the {@code K * B} largest values across the whole
 * batch and zero the rest, so samples may use more or fewer than {@code K} features.
 *
 * <p><b>Ties rule.</b> Values are ranked by value, larger first; equal values by flat index
 * {@code b * D + j}, smaller first (earlier samples, then lower features win). So exactly {@code
 * min(K * B, B * D)} entries are kept; entries that are 0 count as kept but stay 0, so the number
 * of non-zeros is {@code K * B} whenever at least that many activations are positive.
 */
public final class BatchTopK {
  private BatchTopK() {}

  /**
   * The keep mask of a batch.
   *
   * @param activations {@code [batch, dict]} row-major, non-negative (post-ReLU)
   * @param batch samples in the batch
   * @param dict features per sample
   * @param k features per sample on average
   * @return 1 for kept entries, 0 for dropped ones, same layout
   * @throws IllegalArgumentException if sizes do not match, {@code k < 1}, {@code k > dict}, or a
   *     value is NaN (naming its sample and feature)
   */
  public static float[] mask(float[] activations, int batch, int dict, int k) {
    Objects.requireNonNull(activations, "activations");
    if (batch < 1 || dict < 1 || (long) batch * dict != activations.length) {
      throw new IllegalArgumentException("BatchTopK: " + activations.length + " activations are not [" + batch + ", " + dict + "]");
    }
    if (k < 1 || k > dict) {
      throw new IllegalArgumentException("BatchTopK: k = " + k + " must be in [1, " + dict + "] (the dictionary size)");
    }
    for (int i = 0; i < activations.length; i++) {
      if (Float.isNaN(activations[i])) {
        throw new IllegalArgumentException("BatchTopK: NaN activation at sample " + i / dict + ", feature " + i % dict);
      }
    }
    int keep = k * batch;
    float[] mask = new float[activations.length];
    if (keep >= activations.length) {
      Arrays.fill(mask, 1f);
      return mask;
    }
    // Sort keys: value descending, then index ascending. A long key per entry: the float's
    // order-preserving bits in the high word (inverted for descending), the index in the low word.
    long[] keys = new long[activations.length];
    for (int i = 0; i < activations.length; i++) {
      int bits = Float.floatToIntBits(activations[i] == 0f ? 0f : activations[i]); // -0 ranks as 0
      int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff; // monotone in the float value
      long desc = 0xffffffffL - ((long) ordered - Integer.MIN_VALUE); // larger value -> smaller key
      keys[i] = ((desc << 32) | i) ^ Long.MIN_VALUE; // signed sort = unsigned key order
    }
    Arrays.sort(keys);
    for (int r = 0; r < keep; r++) {
      mask[(int) (keys[r] & 0xffffffffL)] = 1f;
    }
    return mask;
  }
}
