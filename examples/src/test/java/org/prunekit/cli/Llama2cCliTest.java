package org.prunekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.io.Llama2cConfig;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.SavedModel;

/** {@code eval --llama2c} and {@code prune --llama2c} on a tiny generated llama2.c checkpoint. */
class Llama2cCliTest {
  private static final String CHARS = "abcdefgh ";
  private static final Pattern LOSS = Pattern.compile("validation loss(?: before:| after: |) *([0-9.]+) nats/char");

  @TempDir Path tmp;

  /** dim 16, hidden 32, 2 layers, 2 heads, vocab 9, seq_len 32, shared classifier; weights * scale. */
  private Path checkpoint(float scale) throws Exception {
    Llama2cConfig c = new Llama2cConfig(16, 32, 2, 2, 2, CHARS.length(), 32, true);
    int n = Math.toIntExact(c.floatCount());
    ByteBuffer b = ByteBuffer.allocate(28 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int h : new int[] {16, 32, 2, 2, 2, CHARS.length(), 32}) {
      b.putInt(h);
    }
    SplittableRandom rng = new SplittableRandom(4);
    for (int i = 0; i < n; i++) {
      b.putFloat((float) (rng.nextGaussian() * scale));
    }
    Path m = tmp.resolve("tiny.bin");
    Files.write(m, b.array());
    StringBuilder json = new StringBuilder("{\"chars\": [");
    for (int i = 0; i < CHARS.length(); i++) {
      json.append(i == 0 ? "" : ", ").append('"').append(CHARS.charAt(i)).append('"');
    }
    Files.writeString(tmp.resolve("vocab.json"), json.append("]}").toString(), StandardCharsets.UTF_8);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 4000; i++) {
      text.append(CHARS.charAt(rng.nextInt(CHARS.length())));
    }
    Files.writeString(tmp.resolve("text.txt"), text.toString(), StandardCharsets.UTF_8);
    return m;
  }

  private static double loss(String out, int which) {
    Matcher m = LOSS.matcher(out);
    for (int i = 0; i <= which; i++) {
      assertTrue(m.find(), "no loss #" + i + " in: " + out);
    }
    return Double.parseDouble(m.group(1));
  }

  @Test
  void evalOfANearZeroModelIsTheUniformLoss() throws Exception {
    // Weights ~1e-4: every logit is ~0, so the loss is ln(vocab) = ln 9 = 2.1972 nats/char.
    Path m = checkpoint(1e-4f);
    CliTest.Result r = CliTest.run("eval", "--llama2c", m.toString(), "--text", tmp.resolve("text.txt").toString(),
        "--seq", "16");
    assertEquals(0, r.code(), r.err());
    assertEquals(Math.log(9), loss(r.out(), 0), 1e-3);
    // 10 % of 4000 chars = 400 validation chars: 24 windows of 16 (+1 target each).
    assertTrue(r.out().contains("24 windows"), r.out());
  }

  @Test
  void pruneWandaWritesMaskedModelAndReportsBothLosses() throws Exception {
    Path m = checkpoint(0.3f);
    Path out = tmp.resolve("pruned.pkm");
    CliTest.Result r = CliTest.run("prune", "--llama2c", m.toString(), "--text", tmp.resolve("text.txt").toString(),
        "--seq", "16", "--criterion", "wanda", "--sparsity", "0.5", "--calibration", "8", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    double before = loss(r.out(), 0);
    double after = loss(r.out(), 1);
    CliTest.Result e = CliTest.run("eval", "--llama2c", m.toString(), "--text", tmp.resolve("text.txt").toString(),
        "--seq", "16");
    assertEquals(loss(e.out(), 0), before, 1e-9, "before = the dense model's eval");
    assertTrue(after != before, r.out());
    SavedModel saved = ModelFormat.load(out);
    Graph g = saved.graph();
    int masked = 0;
    for (Parameter p : g.parameters()) {
      String name = p.qualifiedName();
      if (name.startsWith("layers.") && name.endsWith("weight")) {
        assertTrue(p.hasMask(), name);
        float[] mask = p.mask().data();
        int cols = p.shape().get(1);
        for (int row = 0; row < p.shape().get(0); row++) {
          int zeros = 0;
          for (int j = 0; j < cols; j++) {
            zeros += mask[row * cols + j] == 0f ? 1 : 0;
          }
          assertEquals(cols / 2, zeros, name + " row " + row); // Wanda: per output row
        }
        masked++;
      } else {
        assertFalse(p.hasMask(), name);
      }
    }
    assertEquals(2 * 7, masked); // wq wk wv wo w1 w2 w3 per layer
    assertEquals("wanda", saved.provenance().criterion());
    assertEquals(8, saved.provenance().calibrationSamples());
  }

  @Test
  void pruneTwoOfFourWithMagnitudeAndSparseGpt() throws Exception {
    Path m = checkpoint(0.3f);
    for (String criterion : new String[] {"magnitude", "sparsegpt"}) {
      Path out = tmp.resolve(criterion + ".pkm");
      CliTest.Result r = CliTest.run("prune", "--llama2c", m.toString(), "--text", tmp.resolve("text.txt").toString(),
          "--seq", "16", "--criterion", criterion, "--pattern", "2:4", "--calibration", "4", "--out", out.toString());
      assertEquals(0, r.code(), r.err());
      Parameter w1 = ModelFormat.load(out).graph().parameter("layers.1.w1.weight");
      float[] mask = w1.mask().data();
      for (int g = 0; g < mask.length; g += 4) {
        assertEquals(2f, mask[g] + mask[g + 1] + mask[g + 2] + mask[g + 3], criterion + " group " + g);
      }
    }
  }

  @Test
  void pruneTwoOfFourWithRiaChannelReallocation() throws Exception {
    Path m = checkpoint(0.3f);
    Path out = tmp.resolve("realloc.pkm");
    CliTest.Result r = CliTest.run("prune", "--llama2c", m.toString(), "--text", tmp.resolve("text.txt").toString(),
        "--seq", "16", "--criterion", "ria-reallocation", "--pattern", "2:4", "--calibration", "4", "--out",
        out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ria-reallocation"), r.out());
    Parameter w1 = ModelFormat.load(out).graph().parameter("layers.1.w1.weight");
    float[] mask = w1.mask().data();
    double kept = 0;
    for (float f : mask) {
      kept += f;
    }
    // N:M in the permuted column order: exactly half kept, but not necessarily 2 of every 4 in file order.
    assertEquals(mask.length / 2.0, kept);
    CliTest.Result unstructured = CliTest.run("prune", "--llama2c", m.toString(), "--text",
        tmp.resolve("text.txt").toString(), "--seq", "16", "--criterion", "ria-reallocation", "--sparsity", "0.5",
        "--calibration", "4", "--out", tmp.resolve("bad.pkm").toString());
    assertEquals(1, unstructured.code());
    assertTrue(unstructured.err().contains("N:M pattern"), unstructured.err());
  }

  @Test
  void badLlama2cInputIsOneClearError() throws Exception {
    Path m = checkpoint(0.3f);
    CliTest.Result noText = CliTest.run("eval", "--llama2c", m.toString());
    assertEquals(1, noText.code());
    assertTrue(noText.err().contains("--text"), noText.err());
    CliTest.Result both = CliTest.run("prune", "--llama2c", m.toString(), "--text", tmp.resolve("text.txt").toString(),
        "--criterion", "magnitude", "--sparsity", "0.5", "--pattern", "2:4", "--out", tmp.resolve("x.pkm").toString());
    assertEquals(1, both.code());
    assertTrue(both.err().contains("exclude each other"), both.err());
    assertFalse(Files.exists(tmp.resolve("x.pkm")));
  }

  @Test
  void sharedCharLlamaReproducesItsValidationLoss() {
    Path dir = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"), "data");
    Path model = dir.resolve("models/charllama-shakespeare/charllama_shakespeare.bin");
    Path text = dir.resolve("tinyshakespeare/input.txt");
    assumeTrue(Files.isRegularFile(model) && Files.isRegularFile(text), "shared charllama model not present");
    CliTest.Result r = CliTest.run("eval", "--llama2c", model.toString(), "--text", text.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(1.5934, loss(r.out(), 0), 1e-3); // the model card's value on the last 10 %
    assertTrue(r.out().contains("871 windows"), r.out());
  }
}
