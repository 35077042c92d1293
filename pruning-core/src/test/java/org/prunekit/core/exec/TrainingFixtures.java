package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.tensor.Tensor;

/** Small models and synthetic, separable data sets for the training tests. */
final class TrainingFixtures {
  private TrainingFixtures() {}

  /** x[4] -> fc1[8] -> relu -> fc2[2]. */
  static Graph mlp(long seed) {
    return GraphBuilder.create(seed).input("x", 4).linear("fc1", 8).relu().linear("fc2", 2).build();
  }

  /** image[1,8,8] -> conv1(4, 3x3, pad 1) -> relu -> maxpool 2 -> flatten -> fc(2). */
  static Graph cnn(long seed) {
    return GraphBuilder.create(seed)
        .input("image", 1, 8, 8)
        .conv2d("conv1", 4, 3, 1, 1)
        .relu()
        .maxPool2d(2)
        .flatten()
        .linear("fc", 2)
        .build();
  }

  /**
   * Two Gaussian blobs in 4 dimensions, class 0 around (-1,-1,+1,0), class 1 around the negation;
   * returns {x [n,4], labels [n] (0/1 as float)}.
   */
  static NDArray[] blobs(NDManager m, int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 4];
    float[] y = new float[n];
    float[] centre = {-1f, -1f, 1f, 0f};
    for (int i = 0; i < n; i++) {
      int c = i % 2;
      y[i] = c;
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (c == 0 ? centre[j] : -centre[j]) + 0.3f * (float) r.nextGaussian();
      }
    }
    return new NDArray[] {m.create(x, new Shape(n, 4)), m.create(y, new Shape(n))};
  }

  /**
   * 8x8 one-channel images: class 0 is bright in the left half, class 1 in the right half, plus
   * noise; returns {images [n,1,8,8], labels [n]}.
   */
  static NDArray[] images(NDManager m, int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 64];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int c = i % 2;
      y[i] = c;
      for (int row = 0; row < 8; row++) {
        for (int col = 0; col < 8; col++) {
          boolean left = col < 4;
          float base = (left == (c == 0)) ? 1f : -1f;
          x[i * 64 + row * 8 + col] = base + 0.5f * (float) r.nextGaussian();
        }
      }
    }
    return new NDArray[] {m.create(x, new Shape(n, 1, 8, 8)), m.create(y, new Shape(n))};
  }

  /** A 0/1 mask that zeroes the {@code fraction} of elements with the smallest magnitude. */
  static Tensor magnitudeMask(Tensor w, double fraction) {
    float[] v = w.data();
    float[] abs = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      abs[i] = Math.abs(v[i]);
    }
    float[] sorted = abs.clone();
    Arrays.sort(sorted);
    int k = (int) Math.floor(fraction * v.length);
    float threshold = k == 0 ? Float.NEGATIVE_INFINITY : sorted[k - 1];
    float[] m = new float[v.length];
    int zeroed = 0;
    for (int i = 0; i < v.length; i++) {
      if (abs[i] <= threshold && zeroed < k) {
        zeroed++;
      } else {
        m[i] = 1f;
      }
    }
    return new Tensor(w.shape(), m);
  }
}
