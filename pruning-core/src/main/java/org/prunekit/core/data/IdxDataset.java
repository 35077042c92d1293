package org.prunekit.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * An immutable image classification data set read from a pair of IDX files (the MNIST /
 * Fashion-MNIST format: images with magic {@code 0x00000803}, labels with magic {@code
 * 0x00000801}, gzip-compressed or plain).
 *
 * <p>Pixels are kept as the file's unsigned bytes and converted on access to {@code raw * scale +
 * shift}; a freshly loaded set has scale 1 and shift 0 (values 0..255). {@link #scaled} and
 * {@link #normalized} return views with another transform; {@link #subset} returns a view of a
 * range. Views share the underlying bytes, which are never modified.
 *
 * <pre>{@code
 * IdxDataset test = IdxDataset.loadDir(Path.of("data/mnist"), "t10k").scaled(1f / 255);
 * for (IdxDataset.Batch b : test.batches(500)) { ... b.images() is [n, 1, 28, 28] ... }
 * }</pre>
 */
public final class IdxDataset {
  private final byte[] pixels;
  private final int[] labels;
  private final int offset;
  private final int size;
  private final int rows;
  private final int cols;
  private final float scale;
  private final float shift;

  private IdxDataset(byte[] pixels, int[] labels, int offset, int size, int rows, int cols, float scale, float shift) {
    this.pixels = pixels;
    this.labels = labels;
    this.offset = offset;
    this.size = size;
    this.rows = rows;
    this.cols = cols;
    this.scale = scale;
    this.shift = shift;
  }

  /** A contiguous range of samples as a batch tensor and its labels. */
  public record Batch(int from, Tensor images, int[] labels) {
    /** Validates that there is one label per image. */
    public Batch {
      Objects.requireNonNull(images, "images");
      Objects.requireNonNull(labels, "labels");
      if (images.shape().get(0) != labels.length) {
        throw new IllegalArgumentException(
            "batch holds " + images.shape().get(0) + " images but " + labels.length + " labels");
      }
    }

    /** Number of samples. */
    public int size() {
      return labels.length;
    }
  }

  /**
   * Reads an image file and a label file (each gzip or plain).
   *
   * @throws IOException naming the file at fault: missing, wrong magic, bad or truncated size,
   *     trailing bytes, or image and label counts that differ
   */
  public static IdxDataset load(Path images, Path labels) throws IOException {
    IdxFiles.Contents im = IdxFiles.read(images, IdxFiles.IMAGES_MAGIC, "images");
    IdxFiles.Contents lb = IdxFiles.read(labels, IdxFiles.LABELS_MAGIC, "labels");
    int n = im.dims()[0];
    if (lb.dims()[0] != n) {
      throw new IOException("IDX images file " + images + " holds " + n + " images but labels file " + labels
          + " holds " + lb.dims()[0] + " labels");
    }
    int[] l = new int[n];
    byte[] lbytes = lb.data();
    for (int i = 0; i < n; i++) {
      l[i] = lbytes[i] & 0xff;
    }
    return new IdxDataset(im.data(), l, 0, n, im.dims()[1], im.dims()[2], 1f, 0f);
  }

  /**
   * Reads {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]}
   * from {@code dir} (prefix {@code "train"} or {@code "t10k"} for MNIST).
   *
   * @throws IOException if a file is missing (naming the names tried) or unreadable
   */
  public static IdxDataset loadDir(Path dir, String prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    return load(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"));
  }

  private static Path find(Path dir, String base) throws IOException {
    Path gz = dir.resolve(base + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path plain = dir.resolve(base);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    throw new IOException("no IDX file " + gz.getFileName() + " or " + plain.getFileName() + " in " + dir);
  }

  /** Number of samples. */
  public int size() {
    return size;
  }

  /** Image height. */
  public int rows() {
    return rows;
  }

  /** Image width. */
  public int cols() {
    return cols;
  }

  /** Factor applied to raw byte values (1 when loaded). */
  public float scale() {
    return scale;
  }

  /** Offset added after scaling (0 when loaded). */
  public float shift() {
    return shift;
  }

  /** Shape of one sample: {@code [1, rows, cols]}. */
  public Shape sampleShape() {
    return new Shape(1, rows, cols);
  }

  /** The pixels of sample {@code i} (a new row-major array of {@code rows * cols} values). */
  public float[] image(int i) {
    checkIndex(i);
    float[] out = new float[rows * cols];
    fill(out, 0, offset + i, 1);
    return out;
  }

  /** The label of sample {@code i}. */
  public int label(int i) {
    checkIndex(i);
    return labels[offset + i];
  }

  /** All labels (a copy). */
  public int[] labels() {
    return Arrays.copyOfRange(labels, offset, offset + size);
  }

  /** A view with every pixel value multiplied by {@code factor} (e.g. {@code 1f / 255}). */
  public IdxDataset scaled(float factor) {
    requireFinite("scale factor", factor);
    return new IdxDataset(pixels, labels, offset, size, rows, cols, scale * factor, shift * factor);
  }

  /**
   * A view with every pixel value {@code v} replaced by {@code (v - mean) / std}, applied after
   * the current transform (e.g. {@code scaled(1f / 255).normalized(0.1307f, 0.3081f)}).
   */
  public IdxDataset normalized(float mean, float std) {
    requireFinite("mean", mean);
    requireFinite("std", std);
    if (!(std > 0f)) {
      throw new IllegalArgumentException("normalisation std must be positive, got " + std);
    }
    return new IdxDataset(pixels, labels, offset, size, rows, cols, scale / std, (shift - mean) / std);
  }

  /** A view of samples {@code from} (inclusive) to {@code to} (exclusive). */
  public IdxDataset subset(int from, int to) {
    checkRange(from, to);
    return new IdxDataset(pixels, labels, offset + from, to - from, rows, cols, scale, shift);
  }

  /** Samples {@code from} to {@code to} as a tensor {@code [to - from, 1, rows, cols]}. */
  public Tensor batch(int from, int to) {
    checkRange(from, to);
    int n = to - from;
    float[] out = new float[n * rows * cols];
    fill(out, 0, offset + from, n);
    return new Tensor(new Shape(n, 1, rows, cols), out);
  }

  /** Labels of samples {@code from} to {@code to}. */
  public int[] labels(int from, int to) {
    checkRange(from, to);
    return Arrays.copyOfRange(labels, offset + from, offset + to);
  }

  /** Every sample as one tensor {@code [size, 1, rows, cols]}. */
  public Tensor images() {
    return batch(0, size);
  }

  /** Consecutive batches of {@code batchSize} samples (the last may be smaller). */
  public List<Batch> batches(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    List<Batch> out = new ArrayList<>();
    for (int from = 0; from < size; from += batchSize) {
      int to = Math.min(size, from + batchSize);
      out.add(new Batch(from, batch(from, to), labels(from, to)));
    }
    return out;
  }

  /** Number of samples per label value {@code 0..255}. */
  public int[] labelCounts() {
    int[] c = new int[256];
    for (int i = offset; i < offset + size; i++) {
      c[labels[i]]++;
    }
    return c;
  }

  private void fill(float[] out, int outPos, int firstSample, int n) {
    int per = rows * cols;
    int src = firstSample * per;
    int len = n * per;
    for (int k = 0; k < len; k++) {
      out[outPos + k] = (pixels[src + k] & 0xff) * scale + shift;
    }
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("sample " + i + " outside data set of " + size);
    }
  }

  private void checkRange(int from, int to) {
    if (from < 0 || to > size || from > to) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside data set of " + size);
    }
  }

  private static void requireFinite(String what, float v) {
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(what + " must be finite, got " + v);
    }
  }

  @Override
  public String toString() {
    return "IdxDataset[" + size + " x " + rows + "x" + cols + ", scale=" + scale + ", shift=" + shift + "]";
  }
}
