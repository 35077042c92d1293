package org.prunekit.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.InputSpec;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Mul;
import org.prunekit.core.graph.op.RmsNorm;
import org.prunekit.core.tensor.Tensor;

/**
 * Reads a llama2.c checkpoint (Karpathy's legacy "version 0" layout) into a {@link Graph}.
 *
 * <p>File layout: seven little-endian int32 ({@link Llama2cConfig}; a positive vocab size means
 * the classifier is shared with the token embedding), then little-endian float32 arrays, each
 * matrix {@code [out][in]} row-major: token_embedding {@code [vocab][dim]}, rms_att {@code
 * [L][dim]}, wq {@code [L][dim][dim]}, wk and wv {@code [L][kvDim][dim]}, wo {@code [L][dim][dim]},
 * rms_ffn {@code [L][dim]}, w1 {@code [L][hidden][dim]}, w2 {@code [L][dim][hidden]}, w3 {@code
 * [L][hidden][dim]}, rms_final {@code [dim]}, freq_cis_real and freq_cis_imag {@code
 * [seqLen][headSize/2]}, and, only when not shared, wcls {@code [vocab][dim]}. The file size is
 * checked against the header before any tensor is read.
 *
 * <p>The graph (input {@value #INPUT} of token ids {@code [batch, seq]} as whole floats, output
 * {@value #LM_HEAD} logits {@code [batch, seq, vocab]}):
 *
 * <pre>
 * tok_embeddings (Embedding)
 * per layer i, prefix "layers.i.":
 *   attention_norm (RmsNorm, eps 1e-5) -> attention (q/k/v/o, causal, RoPE theta 10000, GQA, no bias)
 *   attention_residual = Add(block input, attention)
 *   ffn_norm (RmsNorm) -> w1 (Linear), w3 (Linear); silu = SiLU(w1); gate = Mul(silu, w3)
 *   w2 (Linear on gate); ffn_residual = Add(attention_residual, w2)   (the block output)
 * norm (RmsNorm) -> lm_head (Linear, no bias)
 * </pre>
 *
 * <p>Conventions checked against llama2.c {@code run.c}: y = W x with W {@code [out][in]};
 * RMSNorm {@code x / sqrt(mean(x^2) + 1e-5) * w}; RoPE rotates pairs {@code (2i, 2i+1)} of each
 * head by {@code pos * 10000^(-2i/headSize)}; scores scaled by {@code 1/sqrt(headSize)}; query head
 * {@code h} reads kv head {@code h / (heads/kvHeads)}. These are exactly {@link Attention}'s
 * conventions, so the projections are used unchanged.
 *
 * <p>Tied classifier: the graph has no shared parameter objects, so for a shared classifier the
 * embedding table is <em>copied</em> into an untied {@code lm_head.weight}. Pruning or updating one
 * does not change the other; a writer that wants the tie back must check that they are still equal.
 */
public final class Llama2cReader {
  /** Bytes of the int32 header. */
  public static final int HEADER_BYTES = 7 * 4;
  /** Name of the graph input (token ids). */
  public static final String INPUT = "tokens";
  /** Name of the embedding node. */
  public static final String EMBEDDING = "tok_embeddings";
  /** Name of the final norm node. */
  public static final String FINAL_NORM = "norm";
  /** Name of the classifier node (the graph output). */
  public static final String LM_HEAD = "lm_head";
  /** RMSNorm epsilon used by llama2.c. */
  public static final float RMS_EPS = 1e-5f;
  /** RoPE base used by llama2.c. */
  public static final float ROPE_THETA = 10000f;

  private Llama2cReader() {}

  /** The name prefix of layer {@code i}'s nodes, {@code "layers.i."}. */
  public static String layerPrefix(int i) {
    return "layers." + i + ".";
  }

  /**
   * Reads only the header.
   *
   * @throws InvalidFormatException naming the file if it is shorter than the header or a field is
   *     invalid
   */
  public static Llama2cConfig readConfig(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return header(file, ch);
    }
  }

  /** Reads a checkpoint with the input length set to the header's {@code seq_len}. */
  public static Llama2cCheckpoint read(Path file) throws IOException {
    return read(file, -1);
  }

  /**
   * Reads a checkpoint into a graph whose input is token ids {@code [batch, seqLen]}.
   *
   * @param seqLen input window length, {@code 1 <= seqLen <= seq_len} of the header, or -1 for the
   *     header's
   * @throws InvalidFormatException naming the file if the header is invalid or the file size does
   *     not match it (truncated or trailing bytes), or a weight is NaN/infinite
   * @throws IllegalArgumentException if {@code seqLen} is out of range
   */
  public static Llama2cCheckpoint read(Path file, int seqLen) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Llama2cConfig c = header(file, ch);
      int seq = seqLen == -1 ? c.seqLen() : seqLen;
      if (seq < 1 || seq > c.seqLen()) {
        throw new IllegalArgumentException("sequence length " + seqLen + " must be in [1, " + c.seqLen()
            + "] (seq_len of " + file + ")");
      }
      long size = ch.size();
      if (size != c.fileBytes()) {
        throw new InvalidFormatException("llama2.c checkpoint " + file + " has " + size + " bytes, but its header "
            + c + " needs " + c.fileBytes() + (size < c.fileBytes() ? " (truncated)" : " (trailing bytes)"));
      }
      Floats in = new Floats(file, ch);
      int d = c.dim();
      int l = c.layers();
      Tensor emb = in.tensor("token_embedding", c.vocabSize(), d);
      Tensor[] rmsAtt = in.stack("rms_att", l, d);
      Tensor[] wq = in.stack("wq", l, d, d);
      Tensor[] wk = in.stack("wk", l, c.kvDim(), d);
      Tensor[] wv = in.stack("wv", l, c.kvDim(), d);
      Tensor[] wo = in.stack("wo", l, d, d);
      Tensor[] rmsFfn = in.stack("rms_ffn", l, d);
      Tensor[] w1 = in.stack("w1", l, c.hiddenDim(), d);
      Tensor[] w2 = in.stack("w2", l, d, c.hiddenDim());
      Tensor[] w3 = in.stack("w3", l, c.hiddenDim(), d);
      Tensor rmsFinal = in.tensor("rms_final", d);
      Tensor cos = in.tensor("freq_cis_real", c.seqLen(), c.headSize() / 2);
      Tensor sin = in.tensor("freq_cis_imag", c.seqLen(), c.headSize() / 2);
      Tensor cls = c.sharedClassifier() ? emb.copy() : in.tensor("wcls", c.vocabSize(), d);

      List<Node> nodes = new ArrayList<>();
      nodes.add(new Node(EMBEDDING, new Embedding(c.vocabSize(), d), List.of(INPUT), Map.of("weight", emb)));
      String x = EMBEDDING;
      for (int i = 0; i < l; i++) {
        String p = layerPrefix(i);
        nodes.add(new Node(p + "attention_norm", new RmsNorm(d, RMS_EPS), List.of(x), Map.of("gamma", rmsAtt[i])));
        Map<String, Tensor> att = new HashMap<>();
        att.put("q_weight", wq[i]);
        att.put("k_weight", wk[i]);
        att.put("v_weight", wv[i]);
        att.put("o_weight", wo[i]);
        nodes.add(new Node(p + "attention",
            new Attention(d, c.heads(), c.kvHeads(), c.headSize(), true, ROPE_THETA, false),
            List.of(p + "attention_norm"), att));
        nodes.add(new Node(p + "attention_residual", new Add(), List.of(x, p + "attention"), Map.of()));
        nodes.add(new Node(p + "ffn_norm", new RmsNorm(d, RMS_EPS), List.of(p + "attention_residual"),
            Map.of("gamma", rmsFfn[i])));
        nodes.add(new Node(p + "w1", new Linear(d, c.hiddenDim(), false), List.of(p + "ffn_norm"),
            Map.of("weight", w1[i])));
        nodes.add(new Node(p + "w3", new Linear(d, c.hiddenDim(), false), List.of(p + "ffn_norm"),
            Map.of("weight", w3[i])));
        nodes.add(new Node(p + "silu", Activation.of(Activation.Kind.SILU), List.of(p + "w1"), Map.of()));
        nodes.add(new Node(p + "gate", new Mul(), List.of(p + "silu", p + "w3"), Map.of()));
        nodes.add(new Node(p + "w2", new Linear(c.hiddenDim(), d, false), List.of(p + "gate"),
            Map.of("weight", w2[i])));
        nodes.add(new Node(p + "ffn_residual", new Add(), List.of(p + "attention_residual", p + "w2"), Map.of()));
        x = p + "ffn_residual";
      }
      nodes.add(new Node(FINAL_NORM, new RmsNorm(d, RMS_EPS), List.of(x), Map.of("gamma", rmsFinal)));
      nodes.add(new Node(LM_HEAD, new Linear(d, c.vocabSize(), false), List.of(FINAL_NORM), Map.of("weight", cls)));
      Graph g = new Graph(List.of(new InputSpec(INPUT, new Shape(seq))), nodes, List.of(LM_HEAD));
      return new Llama2cCheckpoint(c, g, cos, sin);
    }
  }

  private static Llama2cConfig header(Path file, FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, ch, b, 0, "header");
    int[] h = new int[7];
    for (int i = 0; i < 7; i++) {
      h[i] = b.getInt(4 * i);
    }
    boolean shared = h[5] > 0;
    try {
      return new Llama2cConfig(h[0], h[1], h[2], h[3], h[4], Math.abs(h[5]), h[6], shared);
    } catch (IllegalArgumentException e) {
      throw new InvalidFormatException("llama2.c checkpoint " + file + ": " + e.getMessage()
          + " (header ints " + java.util.Arrays.toString(h) + ")", e);
    }
  }

  private static void readFully(Path file, FileChannel ch, ByteBuffer b, long pos, String what) throws IOException {
    long at = pos;
    while (b.hasRemaining()) {
      int n = ch.read(b, at);
      if (n < 0) {
        throw new InvalidFormatException("llama2.c checkpoint " + file + " is truncated: " + what + " at byte offset "
            + pos + " needs " + b.capacity() + " bytes, the file has " + ch.size());
      }
      at += n;
    }
    b.flip();
  }

  /** Sequential reader of the float arrays after the header. */
  private static final class Floats {
    private final Path file;
    private final FileChannel ch;
    private long pos = HEADER_BYTES;

    Floats(Path file, FileChannel ch) {
      this.file = file;
      this.ch = ch;
    }

    Tensor tensor(String name, int... dims) throws IOException {
      Shape s = new Shape(dims);
      int n = Math.toIntExact(s.size());
      ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(n, 4)).order(ByteOrder.LITTLE_ENDIAN);
      long start = pos;
      readFully(file, ch, b, start, name);
      pos += b.capacity();
      float[] v = new float[n];
      b.asFloatBuffer().get(v);
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(v[i])) {
          throw new InvalidFormatException("llama2.c checkpoint " + file + ": " + name + s + " holds " + v[i]
              + " at flat index " + i + " (byte offset " + (start + 4L * i) + ")");
        }
      }
      return new Tensor(s, v);
    }

    Tensor[] stack(String name, int layers, int... dims) throws IOException {
      Tensor[] t = new Tensor[layers];
      for (int i = 0; i < layers; i++) {
        t[i] = tensor(name + "[" + i + "]", dims);
      }
      return t;
    }
  }
}
