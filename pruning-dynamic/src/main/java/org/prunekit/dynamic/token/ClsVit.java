package org.prunekit.dynamic.token;

import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.ModelZoo;
import org.prunekit.core.zoo.VitConfig;

/**
 * A small vision transformer with a class token, the model token pruning is shown on. Layout as
 * {@link ModelZoo#vit} (pre-norm blocks {@code blk1..blkN}: {@code _ln1, _attn, _add1, _ln2, _fc1,
 * _gelu, _fc2, _add2}, then {@code ln_f}) with two differences: the sequence has one extra token
 * in front, the class token, and the classifier {@code head} reads only that token (readout
 * {@link TransformerModel.Readout#CLS}) instead of all tokens flattened.
 *
 * <p>The class token enters as an all-zero patch at position 0, so its embedding is {@code
 * patch_embed.bias + pos_embed[0]}: a learned vector, as in ViT. Inputs are {@code patches [1 +
 * tokens, patchDim]} and {@code positions [1 + tokens]} ({@link #inputs}).
 *
 * <pre>{@code
 * VitConfig c = VitConfig.builder().optInput(1, 28).optPatchSize(4).optDim(64).optDepth(6).build();
 * TransformerModel vit = ClsVit.build(c); // 49 patch tokens + 1 class token
 * }</pre>
 */
public final class ClsVit {
  private ClsVit() {}

  /** Builds the encoder (output {@code ln_f}, {@code [batch, 1 + tokens, dim]}) and the head. */
  public static TransformerModel build(VitConfig c) {
    Objects.requireNonNull(c, "config");
    int seq = c.tokens() + 1;
    GraphBuilder b = GraphBuilder.create(c.seed())
        .input("patches", seq, c.patchDim())
        .linear("patch_embed", c.dim());
    b.input("positions", seq).embedding("pos_embed", seq, c.dim());
    b.add("embed", "patch_embed", "pos_embed");
    String x = ModelZoo.vitBlocks(b, c, "embed");
    Graph encoder = b.from(x).layerNorm("ln_f").build();
    Graph head = GraphBuilder.create(c.seed() + 1).input("cls", c.dim()).linear("head", c.classes()).build();
    return new TransformerModel(encoder, TransformerModel.Readout.CLS, head);
  }

  /**
   * The two encoder inputs for images {@code [N, C, H, W]}: patches with an all-zero class-token
   * row in front ({@code [N, 1 + tokens, patchDim]}) and positions {@code 0 .. tokens}.
   *
   * @throws IllegalArgumentException if the images do not match the configuration
   */
  public static Tensor[] inputs(Tensor images, VitConfig c) {
    Tensor[] plain = ModelZoo.vitInputs(images, c);
    Shape s = plain[0].shape();
    int n = s.get(0);
    int tokens = s.get(1);
    int pd = s.get(2);
    float[] src = plain[0].data();
    float[] out = new float[n * (tokens + 1) * pd];
    for (int i = 0; i < n; i++) {
      System.arraycopy(src, i * tokens * pd, out, (i * (tokens + 1) + 1) * pd, tokens * pd);
    }
    return new Tensor[] {new Tensor(new Shape(n, tokens + 1, pd), out), ModelZoo.positions(n, tokens + 1)};
  }
}
