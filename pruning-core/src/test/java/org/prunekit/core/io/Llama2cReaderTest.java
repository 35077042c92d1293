package org.prunekit.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.tensor.Tensor;

/** Synthetic llama2.c files: layout, validation, and a forward pass checked against a hand reference. */
class Llama2cReaderTest {
  @TempDir Path dir;

  /** Writes header + floats 0, 1, 2, ... scaled, with optional trailing/missing floats. */
  static Path write(Path file, int[] header, float[] floats) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(28 + 4 * floats.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int h : header) {
      b.putInt(h);
    }
    for (float f : floats) {
      b.putFloat(f);
    }
    Files.write(file, b.array());
    return file;
  }

  static float[] ramp(int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.sin(0.37 * i + 0.1) * scale;
    }
    return v;
  }

  // dim 4, hidden 6, 1 layer, 2 heads (head size 2), 1 kv head, vocab 5, seq 3
  static final int[] HEADER = {4, 6, 1, 2, 1, 5, 3};

  static int floats(boolean shared) {
    int n = 5 * 4 + 4 + 16 + 2 * 2 * 4 + 16 + 4 + 3 * 24 + 4 + 2 * 3 * 1;
    return shared ? n : n + 20;
  }

  @Test
  void layoutOfASharedClassifierFile() throws IOException {
    float[] v = ramp(floats(true), 0.5f);
    Llama2cCheckpoint ck = Llama2cReader.read(write(dir.resolve("m.bin"), HEADER, v));
    Llama2cConfig c = ck.config();
    assertEquals(new Llama2cConfig(4, 6, 1, 2, 1, 5, 3, true), c);
    assertEquals(2, c.kvDim());
    assertEquals(floats(true), c.floatCount());
    Graph g = ck.graph();
    // token_embedding first, then rms_att, wq ...
    assertArrayEquals(Arrays.copyOfRange(v, 0, 20), g.parameter("tok_embeddings.weight").value().data());
    assertArrayEquals(Arrays.copyOfRange(v, 20, 24), g.parameter("layers.0.attention_norm.gamma").value().data());
    assertArrayEquals(Arrays.copyOfRange(v, 24, 40), g.parameter("layers.0.attention.q_weight").value().data());
    assertArrayEquals(Arrays.copyOfRange(v, 40, 48), g.parameter("layers.0.attention.k_weight").value().data());
    assertEquals(new org.prunekit.core.graph.Shape(2, 4), g.parameter("layers.0.attention.v_weight").shape());
    int w1 = 20 + 4 + 16 + 8 + 8 + 16 + 4;
    assertArrayEquals(Arrays.copyOfRange(v, w1, w1 + 24), g.parameter("layers.0.w1.weight").value().data());
    assertEquals(new org.prunekit.core.graph.Shape(4, 6), g.parameter("layers.0.w2.weight").shape());
    assertArrayEquals(Arrays.copyOfRange(v, w1 + 48, w1 + 72), g.parameter("layers.0.w3.weight").value().data());
    assertArrayEquals(Arrays.copyOfRange(v, w1 + 72, w1 + 76), g.parameter("norm.gamma").value().data());
    assertEquals(3, ck.ropeCos().shape().get(0));
    // tied classifier: equal values, separate storage
    Tensor emb = g.parameter("tok_embeddings.weight").value();
    Tensor cls = g.parameter("lm_head.weight").value();
    assertArrayEquals(emb.data(), cls.data());
    assertNotSame(emb.data(), cls.data());
    Attention a = (Attention) g.node("layers.0.attention").op();
    assertEquals(new Attention(4, 2, 1, 2, true, 10000f, false), a);
    assertEquals(java.util.List.of("lm_head"), g.outputs());
  }

  @Test
  void unsharedClassifierIsReadFromTheEnd() throws IOException {
    float[] v = ramp(floats(false), 0.5f);
    int[] h = HEADER.clone();
    h[5] = -5;
    Llama2cCheckpoint ck = Llama2cReader.read(write(dir.resolve("u.bin"), h, v));
    assertFalse(ck.config().sharedClassifier());
    assertArrayEquals(Arrays.copyOfRange(v, v.length - 20, v.length),
        ck.graph().parameter("lm_head.weight").value().data());
  }

  @Test
  void truncatedAndOversizedFilesAreRejected() throws IOException {
    float[] v = ramp(floats(true) - 1, 0.5f);
    Path f = write(dir.resolve("t.bin"), HEADER, v);
    InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> Llama2cReader.read(f));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(f.toString()), e.getMessage());
    Path g = write(dir.resolve("o.bin"), HEADER, ramp(floats(true) + 1, 0.5f));
    e = assertThrows(InvalidFormatException.class, () -> Llama2cReader.read(g));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    Path h = dir.resolve("h.bin");
    Files.write(h, new byte[10]);
    e = assertThrows(InvalidFormatException.class, () -> Llama2cReader.read(h));
    assertTrue(e.getMessage().contains("header"), e.getMessage());
  }

  @Test
  void invalidHeaderAndNonFiniteWeightsAreRejected() throws IOException {
    int[] bad = HEADER.clone();
    bad[3] = 3; // 4 not divisible by 3 heads
    Path f = write(dir.resolve("b.bin"), bad, ramp(floats(true), 1f));
    InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> Llama2cReader.read(f));
    assertTrue(e.getMessage().contains("n_heads"), e.getMessage());
    float[] v = ramp(floats(true), 1f);
    v[30] = Float.NaN;
    Path n = write(dir.resolve("n.bin"), HEADER, v);
    e = assertThrows(InvalidFormatException.class, () -> Llama2cReader.read(n));
    assertTrue(e.getMessage().contains("wq[0]") && e.getMessage().contains("NaN"), e.getMessage());
    Path ok = write(dir.resolve("ok.bin"), HEADER, ramp(floats(true), 1f));
    assertThrows(IllegalArgumentException.class, () -> Llama2cReader.read(ok, 4));
    assertEquals(2, Llama2cReader.read(ok, 2).graph().inputs().get(0).sampleShape().get(0));
  }

  /**
   * The graph's logits equal a direct transcription of llama2.c's run.c forward (position by
   * position with a kv cache) on a random model with GQA.
   */
  @Test
  void forwardMatchesARunCTranscription() throws IOException {
    int[] h = {8, 12, 2, 4, 2, 7, 5}; // head size 2, GQA 2:1
    Llama2cConfig c = new Llama2cConfig(8, 12, 2, 4, 2, 7, 5, true);
    float[] v = ramp((int) c.floatCount(), 0.6f);
    Llama2cCheckpoint ck = Llama2cReader.read(write(dir.resolve("f.bin"), h, v));
    int[] tokens = {3, 0, 6, 6, 1};
    float[] ids = new float[5];
    for (int i = 0; i < 5; i++) {
      ids[i] = tokens[i];
    }
    Tensor logits;
    try (GraphExecutor ex = GraphExecutor.create(ck.graph())) {
      logits = ex.predict(Tensor.of(ids, 1, 5));
    }
    float[][] ref = RunCReference.forward(c, v, tokens);
    for (int p = 0; p < 5; p++) {
      for (int k = 0; k < 7; k++) {
        assertEquals(ref[p][k], logits.data()[p * 7 + k], 1e-4, "logit " + k + " at position " + p);
      }
    }
  }
}
