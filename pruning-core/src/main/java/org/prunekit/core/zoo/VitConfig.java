package org.prunekit.core.zoo;

/**
 * The shape of a small vision transformer built by {@link ModelZoo#vit(VitConfig)}.
 *
 * <p>The image is cut into {@link #tokens()} square patches of {@link #patchSize()} pixels, each
 * flattened to {@link #patchDim()} values ({@link ModelZoo#patchify}); a linear patch embedding
 * plus a learned position embedding gives the tokens; {@link #depth()} pre-norm transformer blocks
 * follow (LayerNorm - attention - residual add; LayerNorm - linear - GELU - linear - residual add);
 * then a final LayerNorm and a linear classifier over all tokens (see {@link ModelZoo#vit}).
 *
 * <pre>{@code
 * VitConfig gqa = VitConfig.builder().optDim(32).optHeads(4, 2).build(); // 4 query heads share 2 kv heads
 * }</pre>
 *
 * @param imageSize image height and width (a multiple of the patch size)
 * @param inChannels image channels
 * @param patchSize patch height and width
 * @param dim model (hidden) dimension
 * @param depth number of transformer blocks
 * @param heads query heads (dividing {@code dim}; head dimension {@code dim / heads})
 * @param kvHeads key/value heads (dividing {@code heads}; fewer than {@code heads} is grouped-query
 *     attention)
 * @param mlpDim hidden neurons of each block's MLP
 * @param classes classifier outputs
 * @param seed parameter initialisation seed
 */
public record VitConfig(
    int imageSize, int inChannels, int patchSize, int dim, int depth, int heads, int kvHeads, int mlpDim,
    int classes, long seed) {

  /** Validates the sizes. */
  public VitConfig {
    ZooChecks.positive("vit", "imageSize", imageSize);
    ZooChecks.positive("vit", "inChannels", inChannels);
    ZooChecks.positive("vit", "patchSize", patchSize);
    ZooChecks.positive("vit", "dim", dim);
    ZooChecks.positive("vit", "depth", depth);
    ZooChecks.positive("vit", "heads", heads);
    ZooChecks.positive("vit", "kvHeads", kvHeads);
    ZooChecks.positive("vit", "mlpDim", mlpDim);
    ZooChecks.positive("vit", "classes", classes);
    if (imageSize % patchSize != 0) {
      throw new IllegalArgumentException("vit: image size " + imageSize + " is not a multiple of patch size " + patchSize);
    }
    if (dim % heads != 0) {
      throw new IllegalArgumentException("vit: dim " + dim + " is not divisible by " + heads + " heads");
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException("vit: " + kvHeads + " kv heads do not divide " + heads + " heads");
    }
  }

  /** Number of patches (tokens) per image: {@code (imageSize / patchSize)^2}. */
  public int tokens() {
    int side = imageSize / patchSize;
    return side * side;
  }

  /** Values per flattened patch: {@code inChannels * patchSize^2}. */
  public int patchDim() {
    return inChannels * patchSize * patchSize;
  }

  /** Dimension of one head: {@code dim / heads}. */
  public int headDim() {
    return dim / heads;
  }

  /**
   * A builder with small defaults: 3x32x32 images, patch 8 (16 tokens of 192 values), dim 32, depth
   * 2, 4 heads (no GQA), MLP 64, 10 classes.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link VitConfig}; every setting is optional. */
  public static final class Builder {
    private int imageSize = 32;
    private int inChannels = 3;
    private int patch = 8;
    private int dim = 32;
    private int depth = 2;
    private int heads = 4;
    private int kvHeads = 4;
    private int mlp = 64;
    private int classes = 10;
    private long seed = 42;

    private Builder() {}

    /** Image channels and size (default 3 and 32). */
    public Builder optInput(int channels, int size) {
      this.inChannels = channels;
      this.imageSize = size;
      return this;
    }

    /** Patch size (default 8). */
    public Builder optPatchSize(int patch) {
      this.patch = patch;
      return this;
    }

    /** Model dimension (default 32). */
    public Builder optDim(int dim) {
      this.dim = dim;
      return this;
    }

    /** Transformer blocks (default 2). */
    public Builder optDepth(int depth) {
      this.depth = depth;
      return this;
    }

    /** Query heads and key/value heads (default 4 and 4). */
    public Builder optHeads(int heads, int kvHeads) {
      this.heads = heads;
      this.kvHeads = kvHeads;
      return this;
    }

    /** MLP hidden neurons (default 64). */
    public Builder optMlpDim(int mlp) {
      this.mlp = mlp;
      return this;
    }

    /** Classifier outputs (default 10). */
    public Builder optClasses(int classes) {
      this.classes = classes;
      return this;
    }

    /** Initialisation seed (default 42). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Validates and builds the configuration. */
    public VitConfig build() {
      return new VitConfig(imageSize, inChannels, patch, dim, depth, heads, kvHeads, mlp, classes, seed);
    }
  }
}
