package org.prunekit.dynamic.token;

import java.util.Random;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.VitConfig;

/** A tiny class-token ViT for tests: 8x8 images, patch 4 (4 tokens + class token), dim 8, 3 blocks. */
final class TinyVit {
  static final VitConfig CONFIG = VitConfig.builder().optInput(1, 8).optPatchSize(4).optDim(8).optDepth(3)
      .optHeads(2, 2).optMlpDim(16).optClasses(3).optSeed(7).build();

  private TinyVit() {}

  static TransformerModel model() {
    return ClsVit.build(CONFIG);
  }

  static Tensor images(int n, long seed) {
    Random r = new Random(seed);
    float[] d = new float[n * 64];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextGaussian();
    }
    return new Tensor(new Shape(n, 1, 8, 8), d);
  }

  static Tensor[] inputs(int n, long seed) {
    return ClsVit.inputs(images(n, seed), CONFIG);
  }

  /** Rows [from, to) of a batch tensor. */
  static Tensor rows(Tensor t, int from, int to) {
    int per = (int) t.shape().sizeFrom(1);
    float[] d = java.util.Arrays.copyOfRange(t.data(), from * per, to * per);
    return new Tensor(t.shape().with(0, to - from), d);
  }
}
