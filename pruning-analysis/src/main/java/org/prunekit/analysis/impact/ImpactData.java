package org.prunekit.analysis.impact;

import java.util.Arrays;
import java.util.Objects;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * Labelled images as flattened patches: {@code patches [N, tokens, patchDim]} and one label in
 * {@code [0, classes)} per image.
 *
 * @param patches the images, patchified (e.g. {@link org.prunekit.core.zoo.ModelZoo#patchify})
 * @param labels class per image
 * @param classes number of classes
 */
public record ImpactData(Tensor patches, int[] labels, int classes) {
  /**
   * Validates shapes, labels and values.
   *
   * @throws IllegalArgumentException if there is no image (empty data), the label count differs,
   *     a label is out of range, or a value is NaN or infinite (naming the image)
   */
  public ImpactData {
    Objects.requireNonNull(patches, "patches");
    Objects.requireNonNull(labels, "labels");
    Shape s = patches.shape();
    if (s.rank() != 3) {
      throw new IllegalArgumentException("impact data: patches must be [N, tokens, patchDim], got " + s);
    }
    if (s.get(0) == 0) {
      throw new IllegalArgumentException("impact data is empty: 0 images");
    }
    if (labels.length != s.get(0)) {
      throw new IllegalArgumentException("impact data: " + s.get(0) + " images but " + labels.length + " labels");
    }
    if (classes < 2) {
      throw new IllegalArgumentException("impact data: need at least 2 classes, got " + classes);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("impact data: label " + labels[i] + " of image " + i + " is outside [0, " + classes + ")");
      }
    }
    int bad = patches.firstNonFinite();
    if (bad >= 0) {
      int per = s.get(1) * s.get(2);
      throw new IllegalArgumentException("impact data: image " + bad / per + " holds " + patches.data()[bad]
          + " at flat index " + bad);
    }
    labels = labels.clone();
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** Patches per image. */
  public int tokens() {
    return patches.shape().get(1);
  }

  /** Values per patch. */
  public int patchDim() {
    return patches.shape().get(2);
  }

  /** The labels (a copy). */
  @Override
  public int[] labels() {
    return labels.clone();
  }

  /** Label of image {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** Images {@code [from, to)} as a new patch tensor. */
  public Tensor batch(int from, int to) {
    if (from < 0 || to > size() || from >= to) {
      throw new IllegalArgumentException("impact data: bad range [" + from + ", " + to + ") of " + size() + " images");
    }
    int per = tokens() * patchDim();
    float[] d = Arrays.copyOfRange(patches.data(), from * per, to * per);
    return new Tensor(new Shape(to - from, tokens(), patchDim()), d);
  }

  /** The images whose label is one of {@code classes}, in order. */
  public ImpactData select(int... chosen) {
    boolean[] keep = new boolean[classes];
    for (int c : chosen) {
      if (c < 0 || c >= classes) {
        throw new IllegalArgumentException("impact data: class " + c + " is outside [0, " + classes + ")");
      }
      keep[c] = true;
    }
    int per = tokens() * patchDim();
    int n = 0;
    for (int l : labels) {
      n += keep[l] ? 1 : 0;
    }
    if (n == 0) {
      throw new IllegalArgumentException("impact data: no image of class(es) " + Arrays.toString(chosen));
    }
    float[] d = new float[n * per];
    int[] l = new int[n];
    int k = 0;
    for (int i = 0; i < labels.length; i++) {
      if (keep[labels[i]]) {
        System.arraycopy(patches.data(), i * per, d, k * per, per);
        l[k++] = labels[i];
      }
    }
    return new ImpactData(new Tensor(new Shape(n, tokens(), patchDim()), d), l, classes);
  }

  /** Checks that a model reads patches of this data's size. */
  void requireFits(PatchModel model) {
    if (model.tokens() != tokens() || model.patchDim() != patchDim()) {
      throw new IllegalArgumentException("model reads [" + model.tokens() + ", " + model.patchDim()
          + "] patches, data holds [" + tokens() + ", " + patchDim() + "]");
    }
  }
}
