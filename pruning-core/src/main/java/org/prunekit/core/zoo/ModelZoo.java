package org.prunekit.core.zoo;

import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.tensor.Tensor;

/**
 * Builders of typical small architectures as PruneKit {@link Graph}s, with deterministic,
 * seeded initialisation ({@link org.prunekit.core.graph.Initializers}) and configurable widths.
 * They exercise every structural pattern of {@link org.prunekit.core.structure.DependencyGraph}:
 * residual stages with stride-2 projection shortcuts, depthwise convolutions and inverted
 * residuals, attention heads (with and without grouped-query attention), transformer MLPs and the
 * hidden dimension of a residual stream, and flatten-into-linear classifiers.
 *
 * <pre>{@code
 * Graph resnet8 = ModelZoo.resnet(ResNetConfig.builder().build());
 * Graph mobile = ModelZoo.mobileNetV2(MobileNetV2Config.builder().build());
 * Graph vit = ModelZoo.vit(VitConfig.builder().optHeads(4, 2).build());   // GQA variant
 * Graph lenet = ModelZoo.leNet(LeNetConfig.classic(7));
 * }</pre>
 *
 * <p>Convolutions followed by BatchNorm have no bias (as in torchvision). Node names are stable
 * and documented per builder, so that groups can be looked up by root, e.g. {@code "s2b1_conv2
 * output channels"}.
 */
public final class ModelZoo {
  private ModelZoo() {}

  /**
   * A CIFAR-style ResNet with basic blocks. Input {@code image [C, S, S]}; nodes:
   *
   * <ul>
   *   <li>{@code stem}, {@code stem_bn}, {@code stem_relu}: 3x3 conv-bn-relu to the first stage's width;
   *   <li>per stage {@code s} and block {@code b} (both from 1), prefix {@code s<s>b<b>}: {@code
   *       _conv1} (3x3, stride 2 for the first block of every stage but the first), {@code _bn1},
   *       {@code _relu1}, {@code _conv2} (3x3), {@code _bn2}, when the shape changes a projection
   *       shortcut {@code _proj} (1x1, same stride) and {@code _proj_bn}, then {@code _add} (the
   *       residual sum) and {@code _relu};
   *   <li>{@code gap} (global average pooling) and {@code fc} (the classifier).
   * </ul>
   *
   * @param c the configuration
   * @return a new graph
   */
  public static Graph resnet(ResNetConfig c) {
    Objects.requireNonNull(c, "config");
    GraphBuilder b = GraphBuilder.create(c.seed()).input("image", c.inChannels(), c.imageSize(), c.imageSize());
    int in = c.stageWidths().get(0);
    convBn(b, "stem", "stem_bn", in, 3, 1, 1, 1);
    String x = relu(b, "stem_relu", "stem_bn");
    for (int s = 0; s < c.stageWidths().size(); s++) {
      int w = c.stageWidths().get(s);
      for (int k = 0; k < c.blocksPerStage(); k++) {
        int stride = s > 0 && k == 0 ? 2 : 1;
        String p = "s" + (s + 1) + "b" + (k + 1);
        b.from(x);
        convBn(b, p + "_conv1", p + "_bn1", w, 3, stride, 1, 1);
        relu(b, p + "_relu1", p + "_bn1");
        convBn(b, p + "_conv2", p + "_bn2", w, 3, 1, 1, 1);
        String shortcut = x;
        if (stride != 1 || in != w) {
          b.from(x);
          convBn(b, p + "_proj", p + "_proj_bn", w, 1, stride, 0, 1);
          shortcut = p + "_proj_bn";
        }
        b.add(p + "_add", p + "_bn2", shortcut);
        x = relu(b, p + "_relu", p + "_add");
        in = w;
      }
    }
    b.node("gap", new GlobalPool(Pool.Kind.AVG, false), x);
    return b.linear("fc", c.classes()).build();
  }

  /**
   * A MobileNetV2-style network (ReLU stands in for ReLU6, which the op set does not have; the
   * stem has stride 1, as usual for 32x32 inputs). Input {@code image [C, S, S]}; nodes:
   *
   * <ul>
   *   <li>{@code stem}, {@code stem_bn}, {@code stem_relu}: 3x3 conv-bn-relu;
   *   <li>per block {@code k} (numbered from 1 across all stages), prefix {@code b<k>}: when the
   *       expansion is not 1, {@code _expand} (1x1 to {@code t} times the input width), {@code
   *       _expand_bn}, {@code _expand_relu}; {@code _dw} (3x3 depthwise, the stage's stride in its
   *       first block), {@code _dw_bn}, {@code _dw_relu}; {@code _project} (1x1, linear
   *       bottleneck) and {@code _project_bn}; {@code _add} when the stride is 1 and the widths
   *       match;
   *   <li>{@code last}, {@code last_bn}, {@code last_relu}: 1x1 conv-bn-relu; {@code gap}; {@code fc}.
   * </ul>
   *
   * @param c the configuration
   * @return a new graph
   */
  public static Graph mobileNetV2(MobileNetV2Config c) {
    Objects.requireNonNull(c, "config");
    GraphBuilder b = GraphBuilder.create(c.seed()).input("image", c.inChannels(), c.imageSize(), c.imageSize());
    convBn(b, "stem", "stem_bn", c.stemWidth(), 3, 1, 1, 1);
    String x = relu(b, "stem_relu", "stem_bn");
    int in = c.stemWidth();
    int k = 0;
    for (MobileNetV2Config.Stage st : c.stages()) {
      for (int r = 0; r < st.repeats(); r++) {
        int stride = r == 0 ? st.stride() : 1;
        int hidden = in * st.expansion();
        String p = "b" + (++k);
        b.from(x);
        if (st.expansion() != 1) {
          convBn(b, p + "_expand", p + "_expand_bn", hidden, 1, 1, 0, 1);
          relu(b, p + "_expand_relu", p + "_expand_bn");
        }
        convBn(b, p + "_dw", p + "_dw_bn", hidden, 3, stride, 1, hidden);
        relu(b, p + "_dw_relu", p + "_dw_bn");
        convBn(b, p + "_project", p + "_project_bn", st.outChannels(), 1, 1, 0, 1);
        if (stride == 1 && in == st.outChannels()) {
          b.add(p + "_add", x, p + "_project_bn");
        }
        x = b.cursor();
        in = st.outChannels();
      }
    }
    b.from(x);
    convBn(b, "last", "last_bn", c.lastWidth(), 1, 1, 0, 1);
    relu(b, "last_relu", "last_bn");
    b.node("gap", new GlobalPool(Pool.Kind.AVG, false), "last_relu");
    return b.linear("fc", c.classes()).build();
  }

  /**
   * A small vision transformer.
   *
   * <p>Layout choices, forced by the op set (there is no transpose op, and {@code reshape} keeps
   * the batch and reshapes the rest, so a conv patch embedding {@code [N, D, h, w]} cannot become
   * tokens {@code [N, h*w, D]}):
   *
   * <ul>
   *   <li>the patch embedding is a {@code Linear} over patches flattened outside the graph ({@link
   *       #patchify}), the same function as a conv with kernel = stride = patch;
   *   <li>the learned position embedding is an {@code Embedding} of a second input holding the
   *       token positions ({@link #positions}), added to the patch embedding;
   *   <li>pooling: global pooling works on {@code [N, channels, spatial...]} and would average over
   *       the model dimension of {@code [N, tokens, dim]}, and no op selects the first token, so the
   *       classifier is a {@code Linear} over all tokens after {@code Flatten} (dimension {@code d}
   *       of token {@code t} is feature {@code t*dim + d}).
   * </ul>
   *
   * <p>Nodes: {@code patch_embed}, {@code pos_embed}, {@code embed} (their sum); per block {@code
   * i} from 1, prefix {@code blk<i>}: {@code _ln1}, {@code _attn} (with q/k/v/o biases), {@code
   * _add1}, {@code _ln2}, {@code _fc1}, {@code _gelu}, {@code _fc2}, {@code _add2}; then {@code
   * ln_f}, {@code flatten}, {@code head}. Every LayerNorm normalises over the hidden dimension, so
   * pruning that group changes the outputs beyond the removed units (see the group's notes); heads
   * and MLP neurons are removed exactly.
   *
   * @param c the configuration ({@code kvHeads < heads} gives the grouped-query variant)
   * @return a new graph with inputs {@code patches [tokens, patchDim]} and {@code positions
   *     [tokens]}; feed it {@link #vitInputs}
   */
  public static Graph vit(VitConfig c) {
    Objects.requireNonNull(c, "config");
    return VitBuilder.build(c);
  }

  /**
   * LeNet-5 for {@code image [1, 28, 28]}: {@code conv1} 5x5 padding 2, relu, 2x2 max pool, {@code
   * conv2} 5x5, relu, 2x2 max pool, flatten ({@code conv2} channels times 5x5), {@code fc1}, relu,
   * {@code fc2}, relu, {@code fc3} (the classifier). Activation and pooling nodes are auto-named.
   *
   * @param c the widths
   * @return a new graph
   */
  public static Graph leNet(LeNetConfig c) {
    Objects.requireNonNull(c, "config");
    return GraphBuilder.create(c.seed()).input("image", 1, 28, 28)
        .conv2d("conv1", c.conv1(), 5, 1, 2).relu().maxPool2d(2)
        .conv2d("conv2", c.conv2(), 5, 1, 0).relu().maxPool2d(2)
        .flatten().linear("fc1", c.fc1()).relu()
        .linear("fc2", c.fc2()).relu()
        .linear("fc3", c.classes())
        .build();
  }

  /**
   * Cuts images into flattened square patches, the input layout of {@link #vit}: {@code [N, C, H,
   * W]} becomes {@code [N, (H/p)*(W/p), C*p*p]}, patches in row-major order, each patch's values
   * in {@code (channel, row, column)} order (so a conv weight {@code [D, C, p, p]} with kernel and
   * stride {@code p}, reshaped to {@code [D, C*p*p]}, is the equivalent linear weight).
   *
   * @throws IllegalArgumentException if the images are not rank 4 or {@code p} does not divide
   *     their height and width
   */
  public static Tensor patchify(Tensor images, int p) {
    return VitBuilder.patchify(images, p);
  }

  /** Token positions {@code 0 .. tokens-1} for every sample: a {@code [batch, tokens]} tensor. */
  public static Tensor positions(int batch, int tokens) {
    return VitBuilder.positions(batch, tokens);
  }

  /**
   * The two inputs of {@link #vit(VitConfig)} for a batch of images: {@code {patchify(images,
   * patchSize), positions(batch, tokens)}}.
   *
   * @throws IllegalArgumentException if the images do not have the configured channels and size
   */
  public static Tensor[] vitInputs(Tensor images, VitConfig c) {
    Objects.requireNonNull(c, "config");
    var s = images.shape();
    if (s.rank() != 4 || s.get(1) != c.inChannels() || s.get(2) != c.imageSize() || s.get(3) != c.imageSize()) {
      throw new IllegalArgumentException("vit inputs: images " + s + " do not match [N, " + c.inChannels() + ", "
          + c.imageSize() + ", " + c.imageSize() + "]");
    }
    return new Tensor[] {patchify(images, c.patchSize()), positions(s.get(0), c.tokens())};
  }

  /** A bias-free square conv reading the cursor, then BatchNorm; the cursor ends on the BatchNorm. */
  private static void convBn(GraphBuilder b, String conv, String bn, int out, int k, int stride, int pad, int groups) {
    int in = b.cursorShape().get(1);
    b.node(conv, new Conv(2, in, out, new int[] {k, k}, new int[] {stride, stride}, Padding.symmetric(2, pad),
        new int[] {1, 1}, groups, false), b.cursor());
    b.node(bn, BatchNorm.of(out), conv);
  }

  private static String relu(GraphBuilder b, String name, String input) {
    b.node(name, Activation.of(Activation.Kind.RELU), input);
    return name;
  }

  /**
   * Appends the {@code c.depth()} pre-norm encoder blocks of {@link #vit} to {@code b}, starting from
   * the node {@code from} ({@code [batch, seq, dim]}): per block {@code blk<i>_ln1}, {@code
   * blk<i>_attn}, {@code blk<i>_add1}, {@code blk<i>_ln2}, {@code blk<i>_fc1}, {@code blk<i>_gelu},
   * {@code blk<i>_fc2}, {@code blk<i>_add2}. For variants that share the encoder but not the
   * embedding or readout (a class-token ViT, for instance).
   *
   * @return the name of the last block's output node
   */
  public static String vitBlocks(GraphBuilder b, VitConfig c, String from) {
    String x = from;
    for (int i = 1; i <= c.depth(); i++) {
      String p = "blk" + i;
      b.from(x).layerNorm(p + "_ln1");
      b.node(p + "_attn", new Attention(c.dim(), c.heads(), c.kvHeads(), c.headDim(), false, 0f, true), p + "_ln1");
      b.add(p + "_add1", x, p + "_attn").layerNorm(p + "_ln2").linear(p + "_fc1", c.mlpDim());
      b.node(p + "_gelu", Activation.of(Activation.Kind.GELU), p + "_fc1");
      b.linear(p + "_fc2", c.dim());
      b.add(p + "_add2", p + "_add1", p + "_fc2");
      x = p + "_add2";
    }
    return x;
  }
}
