package org.prunekit.core.io;

/**
 * The header of a llama2.c checkpoint (legacy "version 0" layout, Karpathy's {@code run.c}
 * {@code Config}): seven little-endian int32 values.
 *
 * @param dim model (residual stream) width
 * @param hiddenDim SwiGLU hidden width (rows of {@code w1}/{@code w3})
 * @param layers number of transformer blocks
 * @param heads query heads; the head size is {@code dim / heads}
 * @param kvHeads key/value heads (grouped-query attention when fewer than {@code heads})
 * @param vocabSize vocabulary size (the file stores it negative when the classifier is not shared)
 * @param seqLen maximum sequence length (rows of the stored RoPE tables)
 * @param sharedClassifier whether the classifier reuses the token embedding (positive vocab size in
 *     the file)
 */
public record Llama2cConfig(
    int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen, boolean sharedClassifier) {

  /**
   * Validates the geometry.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public Llama2cConfig {
    requirePositive("dim", dim);
    requirePositive("hidden_dim", hiddenDim);
    requirePositive("n_layers", layers);
    requirePositive("n_heads", heads);
    requirePositive("n_kv_heads", kvHeads);
    requirePositive("vocab_size", vocabSize);
    requirePositive("seq_len", seqLen);
    if (dim % heads != 0) {
      throw new IllegalArgumentException("llama2.c header: dim " + dim + " is not divisible by n_heads " + heads);
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException(
          "llama2.c header: n_kv_heads " + kvHeads + " does not divide n_heads " + heads);
    }
    if ((dim / heads) % 2 != 0) {
      throw new IllegalArgumentException("llama2.c header: head size " + dim / heads + " is odd; RoPE needs pairs");
    }
  }

  /** Per-head width {@code dim / heads}. */
  public int headSize() {
    return dim / heads;
  }

  /** Width of the key/value projections {@code kvHeads * headSize}. */
  public int kvDim() {
    return kvHeads * headSize();
  }

  /**
   * Number of float32 values following the header, in the order llama2.c writes them (including
   * the two legacy RoPE tables and, when not shared, the classifier).
   */
  public long floatCount() {
    long d = dim;
    long l = layers;
    long n = (long) vocabSize * d // token embedding
        + l * d // rms_att
        + l * d * d // wq
        + 2 * l * d * kvDim() // wk, wv
        + l * d * d // wo
        + l * d // rms_ffn
        + 3 * l * d * hiddenDim // w1, w2, w3
        + d // rms_final
        + 2L * seqLen * (headSize() / 2); // freq_cis_real, freq_cis_imag
    return sharedClassifier ? n : n + (long) vocabSize * d;
  }

  /** Expected file size in bytes: 28 header bytes plus 4 bytes per float. */
  public long fileBytes() {
    return Llama2cReader.HEADER_BYTES + 4 * floatCount();
  }

  private static void requirePositive(String field, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException("llama2.c header: " + field + " must be positive, got " + v);
    }
  }
}
