package org.prunekit.dynamic.dance;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.prunekit.core.data.IdxDataset;

/**
 * A deterministic moving-digits video task: each clip shows one MNIST digit (downsampled 2x to
 * 14x14) sliding in a straight line across a {@code size x size} black canvas for {@code frames}
 * frames at 1 or 2 pixels per frame. The label is the direction of motion ({@link #CLASSES}), which
 * no single frame reveals. Clips from the same digits, count and seed are bit-identical.
 */
public final class MovingDigits {
  /** Class names, by label. */
  public static final String[] CLASSES = {"right", "left", "down", "up"};
  /** Side of the downsampled digit. */
  public static final int DIGIT = 14;

  private MovingDigits() {}

  /**
   * A set of clips, stored contiguously.
   *
   * @param data {@code count * C * T * H * W} values, row-major
   * @param labels one label per clip
   * @param clipShape {@code [C, T, H, W]}
   */
  public record Clips(float[] data, int[] labels, Shape clipShape) {
    /** Validates that the data holds one clip per label. */
    public Clips {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(labels, "labels");
      if (data.length != labels.length * clipShape.size()) {
        throw new IllegalArgumentException("clip data holds " + data.length + " values, expected " + labels.length
            + " clips of " + clipShape);
      }
    }

    /** Number of clips. */
    public int size() {
      return labels.length;
    }

    /** The values of clip {@code i} (a copy). */
    public float[] clip(int i) {
      int n = (int) clipShape.size();
      return Arrays.copyOfRange(data, i * n, (i + 1) * n);
    }

    /** Clips {@code from..to} as one contiguous array. */
    public float[] range(int from, int to) {
      int n = (int) clipShape.size();
      return Arrays.copyOfRange(data, from * n, to * n);
    }
  }

  /**
   * Clips built from real digits.
   *
   * @param digits MNIST images (pixel values 0..255 as loaded by {@link IdxDataset#loadDir})
   * @param count number of clips
   * @param frames frames per clip ({@code >= 2})
   * @param size canvas side ({@code >= DIGIT + 2 * (frames - 1)})
   * @param seed generator seed
   */
  public static Clips generate(IdxDataset digits, int count, int frames, int size, long seed) {
    Objects.requireNonNull(digits, "digits");
    return build(count, frames, size, seed, (rng, out) -> downsample(digits.image(rng.nextInt(digits.size())),
        digits.rows(), digits.cols(), digits.scale(), out));
  }

  /** Clips with procedural glyphs (random 14x14 blobs) instead of MNIST digits, for tests without data. */
  public static Clips synthetic(int count, int frames, int size, long seed) {
    return build(count, frames, size, seed, (rng, out) -> {
      for (int i = 0; i < out.length; i++) {
        int r = i / DIGIT;
        int c = i % DIGIT;
        out[i] = (r > 2 && r < 11 && c > 3 && c < 10 && rng.nextDouble() < 0.8) ? (float) (0.5 + 0.5 * rng.nextDouble()) : 0f;
      }
    });
  }

  private interface GlyphSource {
    void next(SplittableRandom rng, float[] out);
  }

  private static Clips build(int count, int frames, int size, long seed, GlyphSource glyphs) {
    if (count <= 0 || frames < 2) {
      throw new IllegalArgumentException("need count > 0 and frames >= 2, got " + count + ", " + frames);
    }
    int maxTravel = 2 * (frames - 1);
    if (size < DIGIT + maxTravel) {
      throw new IllegalArgumentException("canvas " + size + " too small for a " + DIGIT + "px digit moving "
          + maxTravel + "px; need >= " + (DIGIT + maxTravel));
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int plane = size * size;
    float[] data = new float[count * frames * plane];
    int[] labels = new int[count];
    float[] glyph = new float[DIGIT * DIGIT];
    for (int n = 0; n < count; n++) {
      glyphs.next(rng, glyph);
      int dir = rng.nextInt(4);
      int speed = 1 + rng.nextInt(2);
      int travel = speed * (frames - 1);
      int dx = dir == 0 ? speed : dir == 1 ? -speed : 0;
      int dy = dir == 2 ? speed : dir == 3 ? -speed : 0;
      int x0 = start(rng, dx, travel, size);
      int y0 = start(rng, dy, travel, size);
      labels[n] = dir;
      for (int t = 0; t < frames; t++) {
        int ox = x0 + dx * t;
        int oy = y0 + dy * t;
        int base = (n * frames + t) * plane;
        for (int r = 0; r < DIGIT; r++) {
          System.arraycopy(glyph, r * DIGIT, data, base + (oy + r) * size + ox, DIGIT);
        }
      }
    }
    return new Clips(data, labels, new Shape(1, frames, size, size));
  }

  private static int start(SplittableRandom rng, int d, int travel, int size) {
    int room = size - DIGIT;
    if (d > 0) {
      return rng.nextInt(room - travel + 1);
    }
    if (d < 0) {
      return travel + rng.nextInt(room - travel + 1);
    }
    return rng.nextInt(room + 1);
  }

  private static void downsample(float[] img, int rows, int cols, float scale, float[] out) {
    float norm = scale == 1f ? 1f / 255f : 1f;
    for (int r = 0; r < DIGIT; r++) {
      for (int c = 0; c < DIGIT; c++) {
        int rr = r * rows / DIGIT;
        int cc = c * cols / DIGIT;
        float s = img[rr * cols + cc] + img[rr * cols + cc + 1] + img[(rr + 1) * cols + cc] + img[(rr + 1) * cols + cc + 1];
        out[r * DIGIT + c] = s * 0.25f * norm;
      }
    }
  }
}
