package org.prunekit.core.structure;

import java.util.SplittableRandom;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.tensor.Tensor;

/** One small model per structural pattern, with every parameter randomised (no zeros, no unit gammas). */
final class StructureModels {
  private StructureModels() {}

  /** image[3,8,8] -> conv1(4) -> bn1 -> relu -> conv2(6) -> relu -> gap -> fc(3). */
  static Graph convBnReluConv() {
    return randomized(GraphBuilder.create(1)
        .input("image", 3, 8, 8)
        .conv2d("conv1", 4, 3, 1, 1).batchNorm("bn1").relu()
        .conv2d("conv2", 6, 3, 1, 1).relu()
        .globalAvgPool().linear("fc", 3)
        .build());
  }

  /** x[3,6,6] -> stem(8) -> r1 -> b1(5) -> relu -> b2(8) -> add(r1, b2) -> relu -> gap -> fc(2). */
  static Graph residual() {
    GraphBuilder b = GraphBuilder.create(2).input("x", 3, 6, 6)
        .conv2d("stem", 8, 3, 1, 1);
    b.node("r1", Activation.of(Activation.Kind.RELU), "stem");
    b.conv2d("b1", 5, 3, 1, 1).relu().conv2d("b2", 8, 3, 1, 1)
        .add("res", "r1", "b2").relu().globalAvgPool().linear("fc", 2);
    return randomized(b.build());
  }

  /** x[2,6,6] -> a(4), b(3) -> concat -> relu -> c(5) -> gap -> fc(2). */
  static Graph concat() {
    GraphBuilder b = GraphBuilder.create(3).input("x", 2, 6, 6)
        .conv2d("a", 4, 3, 1, 1).from("x").conv2d("b", 3, 1, 1, 0)
        .concat("cat", "a", "b").relu().conv2d("c", 5, 3, 1, 1).globalAvgPool().linear("fc", 2);
    return randomized(b.build());
  }

  /** concat(a[4], b[3]) + d[7]: one residual group of 7 units covering both concat branches. */
  static Graph concatResidual() {
    GraphBuilder b = GraphBuilder.create(4).input("x", 2, 5, 5)
        .conv2d("a", 4, 3, 1, 1).from("x").conv2d("b", 3, 3, 1, 1).concat("cat", "a", "b")
        .from("x").conv2d("d", 7, 1, 1, 0)
        .add("sum", "cat", "d").relu().globalAvgPool().linear("fc", 2);
    return randomized(b.build());
  }

  /** x[3,6,6] -> pw1(6) -> relu -> dw(6 -> 12, groups 6) -> relu -> pw2(4) -> gap -> fc(2). */
  static Graph depthwise() {
    return randomized(GraphBuilder.create(5).input("x", 3, 6, 6)
        .conv2d("pw1", 6, 1, 1, 0).relu()
        .conv2d("dw", 12, 3, 1, 1, 6).relu()
        .conv2d("pw2", 4, 1, 1, 0).globalAvgPool().linear("fc", 2)
        .build());
  }

  /** x[3,6,6] -> pw1(6) -> relu -> g(6 -> 4, groups 2) -> relu -> gap -> fc(2). */
  static Graph grouped() {
    return randomized(GraphBuilder.create(6).input("x", 3, 6, 6)
        .conv2d("pw1", 6, 1, 1, 0).relu()
        .conv2d("g", 4, 3, 1, 1, 2).relu()
        .globalAvgPool().linear("fc", 2)
        .build());
  }

  /** x[2,4,4] -> conv(3) -> relu -> maxpool 2 -> flatten -> fc1(5) -> relu -> fc2(2). */
  static Graph flattenLinear() {
    return randomized(GraphBuilder.create(7).input("x", 2, 4, 4)
        .conv2d("conv", 3, 3, 1, 1).relu().maxPool2d(2)
        .flatten().linear("fc1", 5).relu().linear("fc2", 2)
        .build());
  }

  /** x[2,4,4] -> conv(3) -> reshape [3, 16] (keeps channels) -> reshape [48] -> fc(2). */
  static Graph reshapeKeepingChannels() {
    GraphBuilder b = GraphBuilder.create(8).input("x", 2, 4, 4).conv2d("conv", 3, 3, 1, 1);
    b.node("rows", new Reshape(new int[] {3, 16}), "conv");
    b.node("flat", new Reshape(new int[] {48}), "rows");
    return randomized(b.linear("fc", 2).build());
  }

  /** x[2,4,4] -> conv(3) -> reshape [6, 8] (splits channels: ambiguous) -> flatten -> fc(2). */
  static Graph ambiguousReshape() {
    GraphBuilder b = GraphBuilder.create(9).input("x", 2, 4, 4).conv2d("conv", 3, 3, 1, 1);
    b.node("split", new Reshape(new int[] {6, 8}), "conv");
    return randomized(b.flatten().linear("fc", 2).build());
  }

  /** x[5,8] -> proj(8) -> mha(2 heads of 4, biases) -> fc(3). */
  static Graph mha() {
    GraphBuilder b = GraphBuilder.create(10).input("x", 5, 8).linear("proj", 8);
    b.node("attn", new Attention(8, 2, 2, 4, false, 0f, true), "proj");
    return randomized(b.linear("fc", 3).build());
  }

  /** x[5,8] -> proj(8) -> gqa(4 query heads, 2 kv heads, head dim 2, causal, RoPE) -> fc(3). */
  static Graph gqa() {
    GraphBuilder b = GraphBuilder.create(11).input("x", 5, 8).linear("proj", 8);
    b.node("attn", new Attention(8, 4, 2, 2, true, 10000f, false), "proj");
    return randomized(b.linear("fc", 3).build());
  }

  /** x[4,6] -> ln -> fc1(12) -> gelu -> fc2(6) -> add(x, fc2) -> head(3). */
  static Graph transformerMlp() {
    GraphBuilder b = GraphBuilder.create(12).input("x", 4, 6).layerNorm("ln")
        .linear("fc1", 12).activation(Activation.Kind.GELU).linear("fc2", 6)
        .add("res", "x", "fc2").linear("head", 3);
    return randomized(b.build());
  }

  /** x[4,6] -> rms -> gate(10)/up(10) -> silu(gate) * up -> down(6) -> head(3). */
  static Graph swiglu() {
    GraphBuilder b = GraphBuilder.create(13).input("x", 4, 6).rmsNorm("rms")
        .linear("gate", 10, false);
    b.node("act", Activation.of(Activation.Kind.SILU), "gate");
    b.from("rms").linear("up", 10, false).mul("glu", "act", "up").linear("down", 6, false).linear("head", 3);
    return randomized(b.build());
  }

  /**
   * ids[5] -> emb(11, 8) -> attn(2 heads) -> add -> fc1(16) -> gelu -> fc2(8) -> add -> head(11),
   * without norms, so removing hidden dimensions preserves outputs exactly.
   */
  static Graph hiddenStream() {
    GraphBuilder b = GraphBuilder.create(14).input("ids", 5).embedding("emb", 11, 8);
    b.node("attn", new Attention(8, 2, 2, 4, true, 0f, true), "emb");
    b.add("r1", "emb", "attn").linear("fc1", 16).activation(Activation.Kind.GELU).linear("fc2", 8)
        .add("r2", "r1", "fc2").linear("head", 11);
    return randomized(b.build());
  }

  /** ids[5] -> emb(11, 8) -> ln1 -> attn -> add(emb) -> rms2 -> fc1(16) -> gelu -> fc2(8) -> add -> lnf -> head(11). */
  static Graph hiddenWithNorms() {
    GraphBuilder b = GraphBuilder.create(15).input("ids", 5).embedding("emb", 11, 8).layerNorm("ln1");
    b.node("attn", new Attention(8, 2, 2, 4, true, 0f, false), "ln1");
    b.add("r1", "emb", "attn").rmsNorm("rms2").linear("fc1", 16).activation(Activation.Kind.GELU)
        .linear("fc2", 8).add("r2", "r1", "fc2").layerNorm("lnf").linear("head", 11);
    return randomized(b.build());
  }

  /** Fills every parameter with values in [-1, 1] (running variances in [0.5, 1.5]). */
  static Graph randomized(Graph g) {
    SplittableRandom r = new SplittableRandom(g.nodes().size() * 31L + g.parameters().size());
    for (Parameter p : g.parameters()) {
      float[] d = p.value().data();
      for (int i = 0; i < d.length; i++) {
        d[i] = p.role().isBuffer() && p.name().equals("running_var")
            ? (float) (0.5 + r.nextDouble())
            : (float) (r.nextDouble() * 2 - 1);
      }
    }
    return g;
  }

  /** A deterministic input of the graph's single input shape for {@code batch} samples. */
  static Tensor input(Graph g, int batch, boolean tokenIds, int vocab) {
    org.prunekit.core.graph.Shape s = g.inputs().get(0).sampleShape().withBatch(batch);
    float[] d = new float[Math.toIntExact(s.size())];
    SplittableRandom r = new SplittableRandom(99);
    for (int i = 0; i < d.length; i++) {
      d[i] = tokenIds ? r.nextInt(vocab) : (float) (r.nextDouble() * 2 - 1);
    }
    return new Tensor(s, d);
  }
}
