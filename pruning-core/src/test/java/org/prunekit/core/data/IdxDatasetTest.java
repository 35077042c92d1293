package org.prunekit.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

class IdxDatasetTest {
  @TempDir Path dir;

  /** Three 2x3 images: image k holds pixel values 10*k + p for p = 0..5, plus 250 in the last one. */
  private static byte[] images(int n, int rows, int cols) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(b);
    o.writeInt(0x00000803);
    o.writeInt(n);
    o.writeInt(rows);
    o.writeInt(cols);
    for (int k = 0; k < n; k++) {
      for (int p = 0; p < rows * cols; p++) {
        o.writeByte(k == n - 1 && p == 0 ? 250 : 10 * k + p);
      }
    }
    return b.toByteArray();
  }

  private static byte[] labels(int... values) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream o = new DataOutputStream(b);
    o.writeInt(0x00000801);
    o.writeInt(values.length);
    for (int v : values) {
      o.writeByte(v);
    }
    return b.toByteArray();
  }

  private Path write(String name, byte[] data, boolean gzip) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
      o.write(data);
    }
    return p;
  }

  private void checkTiny(IdxDataset d) {
    assertEquals(3, d.size());
    assertEquals(2, d.rows());
    assertEquals(3, d.cols());
    assertArrayEquals(new float[] {10, 11, 12, 13, 14, 15}, d.image(1));
    assertArrayEquals(new float[] {250, 21, 22, 23, 24, 25}, d.image(2));
    assertArrayEquals(new int[] {7, 0, 9}, d.labels());
    assertEquals(9, d.label(2));
  }

  @Test
  void readsPlainAndGzipFilesAlike() throws IOException {
    IdxDataset plain = IdxDataset.load(write("i", images(3, 2, 3), false), write("l", labels(7, 0, 9), false));
    IdxDataset gz = IdxDataset.load(write("i.gz", images(3, 2, 3), true), write("l.gz", labels(7, 0, 9), true));
    checkTiny(plain);
    checkTiny(gz);
  }

  @Test
  void loadDirPrefersGzipAndFallsBackToPlain() throws IOException {
    write("t10k-images-idx3-ubyte.gz", images(3, 2, 3), true);
    write("t10k-labels-idx1-ubyte", labels(7, 0, 9), false);
    checkTiny(IdxDataset.loadDir(dir, "t10k"));
    IOException e = assertThrows(IOException.class, () -> IdxDataset.loadDir(dir, "train"));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
  }

  @Test
  void batchesSubsetsAndTransforms() throws IOException {
    IdxDataset d = IdxDataset.load(write("i", images(3, 2, 3), false), write("l", labels(7, 0, 9), false));
    Tensor b = d.batch(1, 3);
    assertEquals(new Shape(2, 1, 2, 3), b.shape());
    assertArrayEquals(new float[] {10, 11, 12, 13, 14, 15, 250, 21, 22, 23, 24, 25}, b.data());

    IdxDataset s = d.subset(1, 3);
    assertEquals(2, s.size());
    assertArrayEquals(new int[] {0, 9}, s.labels());
    assertArrayEquals(new float[] {250, 21, 22, 23, 24, 25}, s.image(1));
    assertArrayEquals(new int[] {9}, s.subset(1, 2).labels());

    IdxDataset scaled = d.scaled(0.5f);
    assertArrayEquals(new float[] {5, 5.5f, 6, 6.5f, 7, 7.5f}, scaled.image(1));
    IdxDataset norm = d.scaled(0.1f).normalized(1f, 2f);
    // (0.1 * 13 - 1) / 2 = 0.15
    assertEquals(0.15f, norm.image(1)[3], 1e-6f);
    assertEquals(10f, d.image(1)[0], "the original is unchanged");

    List<IdxDataset.Batch> batches = d.batches(2);
    assertEquals(2, batches.size());
    assertEquals(new Shape(1, 1, 2, 3), batches.get(1).images().shape());
    assertArrayEquals(new int[] {9}, batches.get(1).labels());
    assertEquals(2, batches.get(1).from());
    assertThrows(IndexOutOfBoundsException.class, () -> d.batch(2, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> d.image(3));
    assertThrows(IllegalArgumentException.class, () -> d.normalized(0f, 0f));
  }

  @Test
  void rejectsWrongMagicNamingTheFile() throws IOException {
    Path i = write("imgs", images(3, 2, 3), false);
    Path l = write("lbls", labels(7, 0, 9), false);
    IOException e = assertThrows(IOException.class, () -> IdxDataset.load(l, i));
    assertTrue(e.getMessage().contains("lbls") && e.getMessage().contains("0x00000801"), e.getMessage());
  }

  @Test
  void rejectsCountMismatchNamingBothFiles() throws IOException {
    Path i = write("imgs", images(3, 2, 3), false);
    Path l = write("lbls", labels(7, 0), false);
    IOException e = assertThrows(IOException.class, () -> IdxDataset.load(i, l));
    assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());
    assertTrue(e.getMessage().contains("imgs") && e.getMessage().contains("lbls"), e.getMessage());
  }

  @Test
  void rejectsTruncatedAndOverlongFiles() throws IOException {
    byte[] full = images(3, 2, 3);
    Path shortFile = write("short", java.util.Arrays.copyOf(full, full.length - 1), true);
    Path l = write("l", labels(7, 0, 9), false);
    IOException e = assertThrows(IOException.class, () -> IdxDataset.load(shortFile, l));
    assertTrue(e.getMessage().contains("short") && e.getMessage().contains("truncated"), e.getMessage());

    Path longFile = write("long", java.util.Arrays.copyOf(full, full.length + 3), false);
    e = assertThrows(IOException.class, () -> IdxDataset.load(longFile, l));
    assertTrue(e.getMessage().contains("long") && e.getMessage().contains("bytes after"), e.getMessage());

    Path headerOnly = write("hdr", java.util.Arrays.copyOf(full, 6), false);
    e = assertThrows(IOException.class, () -> IdxDataset.load(headerOnly, l));
    assertTrue(e.getMessage().contains("hdr") && e.getMessage().contains("header"), e.getMessage());
  }

  @Test
  void realMnistTestSet() throws IOException {
    Path mnist = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"), "data", "mnist");
    assumeTrue(Files.isDirectory(mnist), "shared MNIST data not present");
    IdxDataset d = IdxDataset.loadDir(mnist, "t10k");
    assertEquals(10000, d.size());
    assertEquals(28, d.rows());
    assertEquals(28, d.cols());
    assertArrayEquals(new int[] {7, 2, 1, 0, 4}, d.labels(0, 5));
    int[] counts = java.util.Arrays.copyOf(d.labelCounts(), 10);
    assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts);
    assertEquals(18454.0, sum(d.image(0)), 0.0);
    assertEquals(41833.0, sum(d.image(9999)), 0.0);
    assertEquals(new Shape(500, 1, 28, 28), d.batches(500).get(19).images().shape());
  }

  private static double sum(float[] a) {
    double s = 0;
    for (float v : a) {
      s += v;
    }
    return s;
  }
}
