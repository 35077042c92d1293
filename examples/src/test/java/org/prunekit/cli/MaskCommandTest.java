package org.prunekit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.io.NpyReader;
import org.prunekit.core.io.NpyWriter;
import org.prunekit.core.tensor.Tensor;

/** {@code prunekit mask} on the spec's Wanda hand example (B2 test 1) and an N:M pattern. */
class MaskCommandTest {
  @TempDir Path tmp;

  private Path npy(String name, float[] data, int... shape) throws Exception {
    Path p = tmp.resolve(name);
    NpyWriter.writeF32(p, Tensor.of(data, shape));
    return p;
  }

  private float[] mask(Path p) throws Exception {
    byte[] raw = Files.readAllBytes(p);
    assertEquals((byte) 0x93, raw[0]);
    assertTrue(new String(raw, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1).contains("'|u1'"), "uint8 mask");
    return NpyReader.read(p).data();
  }

  @Test
  void wandaFollowsActivationsWhereMagnitudeDoesNot() throws Exception {
    Path w = npy("w.npy", new float[] {1, -2, 3, 0.5f}, 2, 2);
    Path x1 = npy("x1.npy", new float[] {1, 0, 1, 2}, 2, 2);
    Path x2 = npy("x2.npy", new float[] {1, 0, 1, 0.1f}, 2, 2);
    Path out = tmp.resolve("m.npy");
    assertEquals(0, CliTest.run("mask", "--weights", w.toString(), "--activations", x1.toString(),
        "--criterion", "wanda", "--sparsity", "0.5", "--out", out.toString()).code());
    assertArrayEquals(new float[] {0, 1, 1, 0}, mask(out)); // prunes W00 and W11
    assertEquals(0, CliTest.run("mask", "--weights", w.toString(), "--activations", x2.toString(),
        "--criterion", "wanda", "--sparsity", "0.5", "--out", out.toString()).code());
    assertArrayEquals(new float[] {1, 0, 1, 0}, mask(out)); // now W01 and W11
    assertEquals(0, CliTest.run("mask", "--weights", w.toString(), "--criterion", "magnitude",
        "--sparsity", "0.5", "--scope", "row", "--out", out.toString()).code());
    assertArrayEquals(new float[] {0, 1, 1, 0}, mask(out)); // magnitude still picks W00
  }

  @Test
  void nmPatternKeepsTwoOfEveryFour() throws Exception {
    Path w = npy("w.npy", new float[] {1, 4, 2, 3, -8, 5, 0.5f, 6}, 1, 8);
    Path out = tmp.resolve("m.npy");
    CliTest.Result r = CliTest.run("mask", "--weights", w.toString(), "--criterion", "magnitude",
        "--pattern", "2:4", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(new float[] {0, 1, 0, 1, 1, 0, 0, 1}, mask(out));
    // the reference reading of "1:4" prunes one of four
    assertEquals(0, CliTest.run("mask", "--weights", w.toString(), "--criterion", "magnitude",
        "--pattern-reference", "1:4", "--out", out.toString()).code());
    assertEquals(6, (int) Arrays.stream(box(mask(out))).mapToDouble(f -> f).sum());
  }

  @Test
  void badInputIsOneClearLine() throws Exception {
    Path w = npy("w.npy", new float[] {1, 2, 3, 4, 5, 6}, 1, 6);
    Path out = tmp.resolve("never.npy");
    CliTest.Result nm = CliTest.run("mask", "--weights", w.toString(), "--criterion", "magnitude",
        "--pattern", "2:4", "--out", out.toString());
    assertEquals(1, nm.code());
    assertTrue(nm.err().contains("6") && nm.err().contains("4"), nm.err());
    CliTest.Result noX = CliTest.run("mask", "--weights", w.toString(), "--criterion", "wanda",
        "--sparsity", "0.5", "--out", out.toString());
    assertEquals(1, noX.code());
    assertTrue(noX.err().contains("--activations"), noX.err());
    Path x = npy("x.npy", new float[] {1, 2, 3}, 1, 3);
    CliTest.Result width = CliTest.run("mask", "--weights", w.toString(), "--activations", x.toString(),
        "--criterion", "wanda", "--sparsity", "0.5", "--out", out.toString());
    assertEquals(1, width.code());
    assertTrue(width.err().contains("3") && width.err().contains("6"), width.err());
    Path inf = npy("inf.npy", new float[] {1, 2, 3, Float.POSITIVE_INFINITY, 5, 6}, 2, 3);
    CliTest.Result nonFinite = CliTest.run("mask", "--weights", inf.toString(), "--criterion", "magnitude",
        "--sparsity", "0.5", "--out", out.toString());
    assertEquals(1, nonFinite.code());
    assertTrue(nonFinite.err().contains("Infinity at index 3 [1, 0]"), nonFinite.err());
    assertFalse(Files.exists(out));
  }

  private static Float[] box(float[] a) {
    Float[] b = new Float[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }
}
