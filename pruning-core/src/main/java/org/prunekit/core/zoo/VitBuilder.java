package org.prunekit.core.zoo;

import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.tensor.Tensor;

/** Builds the small ViT of {@link ModelZoo#vit} (layout documented there) and its inputs. */
final class VitBuilder {
  private VitBuilder() {}

  static Graph build(VitConfig c) {
    GraphBuilder b = GraphBuilder.create(c.seed())
        .input("patches", c.tokens(), c.patchDim())
        .linear("patch_embed", c.dim());
    b.input("positions", c.tokens()).embedding("pos_embed", c.tokens(), c.dim());
    b.add("embed", "patch_embed", "pos_embed");
    String x = ModelZoo.vitBlocks(b, c, "embed");
    b.from(x).layerNorm("ln_f");
    b.node("flatten", new Flatten(1), "ln_f");
    return b.linear("head", c.classes()).build();
  }

  static Tensor patchify(Tensor images, int p) {
    Shape s = images.shape();
    if (s.rank() != 4) {
      throw new IllegalArgumentException("patchify needs images [N, C, H, W], got " + s);
    }
    if (p < 1 || s.get(2) % p != 0 || s.get(3) % p != 0) {
      throw new IllegalArgumentException("patchify: patch size " + p + " does not divide image size " + s.get(2)
          + "x" + s.get(3));
    }
    int n = s.get(0);
    int ch = s.get(1);
    int h = s.get(2);
    int w = s.get(3);
    int ph = h / p;
    int pw = w / p;
    int dim = ch * p * p;
    float[] src = images.data();
    float[] out = new float[n * ph * pw * dim];
    int o = 0;
    for (int b = 0; b < n; b++) {
      for (int py = 0; py < ph; py++) {
        for (int px = 0; px < pw; px++) {
          for (int c = 0; c < ch; c++) {
            for (int i = 0; i < p; i++) {
              int row = ((b * ch + c) * h + py * p + i) * w + px * p;
              System.arraycopy(src, row, out, o, p);
              o += p;
            }
          }
        }
      }
    }
    return new Tensor(new Shape(n, ph * pw, dim), out);
  }

  static Tensor positions(int batch, int tokens) {
    if (batch < 1 || tokens < 1) {
      throw new IllegalArgumentException("positions: batch " + batch + " and tokens " + tokens + " must be positive");
    }
    float[] d = new float[batch * tokens];
    for (int i = 0; i < d.length; i++) {
      d[i] = i % tokens;
    }
    return new Tensor(new Shape(batch, tokens), d);
  }
}
