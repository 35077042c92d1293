package org.prunekit.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Dropout;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.GlobalPool;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Mul;
import org.prunekit.core.graph.op.Op;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.RmsNorm;
import org.prunekit.core.tensor.Tensor;

/**
 * Writes a model graph in a few readable lines. The builder keeps a <em>cursor</em> (the last
 * node added); layer methods read from it, infer their input sizes from its shape, and move it.
 * Branches are written with {@link #from} and merged with {@link #add} or {@link #concat}.
 *
 * <pre>{@code
 * Graph g = GraphBuilder.create(42)
 *     .input("image", 1, 28, 28)
 *     .conv2d("conv1", 8, 3, 1, 1).relu().maxPool2d(2)
 *     .flatten()
 *     .linear("fc", 10)
 *     .build();
 * }</pre>
 *
 * Parameters are initialised deterministically from the seed ({@link Initializers}). Unnamed
 * parameter-free layers get generated names ({@code relu_3}).
 */
public final class GraphBuilder {
  private final SplittableRandom rng;
  private final List<InputSpec> inputs = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, Shape> shapes = new HashMap<>();
  private final List<String> outputs = new ArrayList<>();
  private String cursor;
  private int counter;

  private GraphBuilder(long seed) {
    this.rng = new SplittableRandom(seed);
  }

  /** A builder whose parameter initialisation is seeded with {@code seed}. */
  public static GraphBuilder create(long seed) {
    return new GraphBuilder(seed);
  }

  /** Declares an input with the given per-sample shape and moves the cursor to it. */
  public GraphBuilder input(String name, int... sampleShape) {
    InputSpec s = new InputSpec(name, new Shape(sampleShape));
    inputs.add(s);
    shapes.put(name, s.sampleShape().withBatch(1));
    cursor = name;
    return this;
  }

  /** Moves the cursor to an existing input or node, to start a branch. */
  public GraphBuilder from(String name) {
    if (!shapes.containsKey(name)) {
      throw new IllegalArgumentException("no input or node '" + name + "' to continue from");
    }
    cursor = name;
    return this;
  }

  /** The name of the node (or input) under the cursor. */
  public String cursor() {
    return cursor;
  }

  /** The per-sample shape under the cursor (batch 1 included as the first dimension). */
  public Shape cursorShape() {
    return shapes.get(cursor);
  }

  /** Adds a node with explicit op, inputs and initialised parameters; moves the cursor to it. */
  public GraphBuilder node(String name, Op op, String... inputNames) {
    return node(name, op, Initializers.initialize(op, rng), inputNames);
  }

  /** Adds a node with given parameter values; moves the cursor to it. */
  public GraphBuilder node(String name, Op op, Map<String, Tensor> values, String... inputNames) {
    Node n = new Node(name, op, Arrays.asList(inputNames), values);
    List<Shape> in = new ArrayList<>();
    for (String i : inputNames) {
      Shape s = shapes.get(i);
      if (s == null) {
        throw new IllegalArgumentException("node '" + name + "' reads unknown '" + i + "'");
      }
      in.add(s);
    }
    if (shapes.containsKey(name)) {
      throw new IllegalArgumentException("duplicate node name '" + name + "'");
    }
    shapes.put(name, op.inferShape(name, in));
    nodes.add(n);
    cursor = name;
    return this;
  }

  private GraphBuilder chain(String name, Op op) {
    return node(name, op, cursor);
  }

  private String auto(String prefix) {
    return prefix + "_" + (++counter);
  }

  /** A linear layer with bias reading the cursor's last dimension. */
  public GraphBuilder linear(String name, int outFeatures) {
    return linear(name, outFeatures, true);
  }

  /** A linear layer reading the cursor's last dimension. */
  public GraphBuilder linear(String name, int outFeatures, boolean bias) {
    return chain(name, new Linear(cursorShape().get(-1), outFeatures, bias));
  }

  /** A 2D convolution, square kernel, stride and symmetric padding, one group, with bias. */
  public GraphBuilder conv2d(String name, int outChannels, int kernel, int stride, int padding) {
    return conv(name, 2, outChannels, kernel, stride, padding, 1);
  }

  /** A 2D convolution with {@code groups} (depthwise when groups equals the in channels). */
  public GraphBuilder conv2d(String name, int outChannels, int kernel, int stride, int padding, int groups) {
    return conv(name, 2, outChannels, kernel, stride, padding, groups);
  }

  /** An N-d convolution with cubic kernel, stride, symmetric padding and groups, with bias. */
  public GraphBuilder conv(String name, int dims, int outChannels, int kernel, int stride, int padding, int groups) {
    int[] ones = new int[dims];
    Arrays.fill(ones, 1);
    int[] k = new int[dims];
    Arrays.fill(k, kernel);
    int[] s = new int[dims];
    Arrays.fill(s, stride);
    return chain(name, new Conv(dims, cursorShape().get(1), outChannels, k, s, Padding.symmetric(dims, padding), ones, groups, true));
  }

  /** Batch normalisation over the cursor's channels. */
  public GraphBuilder batchNorm(String name) {
    return chain(name, BatchNorm.of(cursorShape().get(1)));
  }

  /** Layer normalisation over the last dimension. */
  public GraphBuilder layerNorm(String name) {
    return chain(name, new LayerNorm(cursorShape().get(-1), 1e-5f, true));
  }

  /** RMS normalisation over the last dimension. */
  public GraphBuilder rmsNorm(String name) {
    return chain(name, new RmsNorm(cursorShape().get(-1), 1e-5f));
  }

  /** A token embedding. */
  public GraphBuilder embedding(String name, int vocab, int dim) {
    return chain(name, new Embedding(vocab, dim));
  }

  /** Self-attention over the cursor ({@code [batch, seq, dim]}). */
  public GraphBuilder attention(String name, int heads, int kvHeads, boolean causal, float ropeTheta) {
    int d = cursorShape().get(-1);
    if (d % heads != 0) {
      throw new IllegalArgumentException("attention '" + name + "': model dim " + d + " not divisible by " + heads + " heads");
    }
    return chain(name, new Attention(d, heads, kvHeads, d / heads, causal, ropeTheta, false));
  }

  /** An activation node (auto-named). */
  public GraphBuilder activation(Activation.Kind kind) {
    return chain(auto(kind.name().toLowerCase()), Activation.of(kind));
  }

  /** ReLU. */
  public GraphBuilder relu() {
    return activation(Activation.Kind.RELU);
  }

  /** Softmax over the last axis. */
  public GraphBuilder softmax() {
    return chain(auto("softmax"), new Activation(Activation.Kind.SOFTMAX, -1));
  }

  /** 2D max pooling with window and stride {@code k}. */
  public GraphBuilder maxPool2d(int k) {
    return chain(auto("maxpool"), Pool.of(Pool.Kind.MAX, 2, k));
  }

  /** 2D average pooling with window and stride {@code k}. */
  public GraphBuilder avgPool2d(int k) {
    return chain(auto("avgpool"), Pool.of(Pool.Kind.AVG, 2, k));
  }

  /** Global average pooling to {@code [batch, channels]}. */
  public GraphBuilder globalAvgPool() {
    return chain(auto("gap"), new GlobalPool(Pool.Kind.AVG, false));
  }

  /** Flattens everything after the batch. */
  public GraphBuilder flatten() {
    return chain(auto("flatten"), new Flatten(1));
  }

  /** Reshapes each sample. */
  public GraphBuilder reshape(int... target) {
    return chain(auto("reshape"), new Reshape(target));
  }

  /** Dropout. */
  public GraphBuilder dropout(float rate) {
    return chain(auto("dropout"), new Dropout(rate));
  }

  /** Element-wise sum of the named nodes (a residual connection). */
  public GraphBuilder add(String name, String... operands) {
    return node(name, new Add(), operands);
  }

  /** Element-wise product of the named nodes. */
  public GraphBuilder mul(String name, String... operands) {
    return node(name, new Mul(), operands);
  }

  /** Concatenation of the named nodes along the channel axis. */
  public GraphBuilder concat(String name, String... operands) {
    return node(name, new Concat(1), operands);
  }

  /** Marks the cursor as an output (builders with one output may skip this). */
  public GraphBuilder output() {
    outputs.add(cursor);
    return this;
  }

  /** Builds and validates the graph; with no explicit output the cursor is the output. */
  public Graph build() {
    List<String> outs = outputs.isEmpty() ? List.of(cursor) : outputs;
    return new Graph(inputs, nodes, outs);
  }
}
