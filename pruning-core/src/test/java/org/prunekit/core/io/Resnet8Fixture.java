package org.prunekit.core.io;

import java.nio.file.Files;
import java.nio.file.Path;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Add;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Flatten;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;

/**
 * The MLPerf Tiny ResNet-8 (keras_model.py resnet_v1_eembc) as a PruneKit graph with the Keras
 * layer names as node names, and the mapping from resnet8.safetensors.
 */
final class Resnet8Fixture {
  private Resnet8Fixture() {}

  static Path file() {
    return Path.of(System.getProperty("prunekit.shared.dir", "../../shared"),
        "data/models/resnet8-cifar10-mlperftiny/resnet8.safetensors");
  }

  static boolean present() {
    return Files.isRegularFile(file());
  }

  static Conv conv(int in, int out, int k, int stride) {
    return new Conv(2, in, out, new int[] {k, k}, new int[] {stride, stride}, Padding.same(2), new int[] {1, 1}, 1, true);
  }

  static BatchNorm bn(int c) {
    return new BatchNorm(c, 1e-3f, 0.01f); // Keras momentum 0.99 = PyTorch momentum 0.01
  }

  /** conv -> bn -> relu; returns the relu's name. */
  private static String convBnRelu(GraphBuilder g, String conv, String bn, int in, int out, int stride, String from) {
    g.node(conv, conv(in, out, 3, stride), from).node(bn, bn(out), conv).node(bn + "_relu", Activation.of(Activation.Kind.RELU), bn);
    return bn + "_relu";
  }

  static Graph graph() {
    GraphBuilder g = GraphBuilder.create(7).input("input", 3, 32, 32);
    String x = convBnRelu(g, "conv2d", "batch_normalization", 3, 16, 1, "input");
    // stack 1
    String y = convBnRelu(g, "conv2d_1", "batch_normalization_1", 16, 16, 1, x);
    g.node("conv2d_2", conv(16, 16, 3, 1), y).node("batch_normalization_2", bn(16), "conv2d_2");
    g.node("add", new Add(), x, "batch_normalization_2").node("activation_2", Activation.of(Activation.Kind.RELU), "add");
    x = "activation_2";
    // stack 2
    y = convBnRelu(g, "conv2d_3", "batch_normalization_3", 16, 32, 2, x);
    g.node("conv2d_4", conv(32, 32, 3, 1), y).node("batch_normalization_4", bn(32), "conv2d_4");
    g.node("conv2d_5", conv(16, 32, 1, 2), x);
    g.node("add_1", new Add(), "conv2d_5", "batch_normalization_4")
        .node("activation_4", Activation.of(Activation.Kind.RELU), "add_1");
    x = "activation_4";
    // stack 3
    y = convBnRelu(g, "conv2d_6", "batch_normalization_5", 32, 64, 2, x);
    g.node("conv2d_7", conv(64, 64, 3, 1), y).node("batch_normalization_6", bn(64), "conv2d_7");
    g.node("conv2d_8", conv(32, 64, 1, 2), x);
    g.node("add_2", new Add(), "conv2d_8", "batch_normalization_6")
        .node("activation_6", Activation.of(Activation.Kind.RELU), "add_2");
    g.node("average_pooling2d", Pool.of(Pool.Kind.AVG, 2, 8), "activation_6")
        .node("flatten", new Flatten(1), "average_pooling2d")
        .node("dense", new Linear(64, 10, true), "flatten")
        .node("softmax", new Activation(Activation.Kind.SOFTMAX, -1), "dense");
    return g.build();
  }

  static WeightMapping mapping() {
    WeightMapping.Builder m = WeightMapping.builder();
    for (String c : new String[] {"conv2d", "conv2d_1", "conv2d_2", "conv2d_3", "conv2d_4", "conv2d_5", "conv2d_6",
        "conv2d_7", "conv2d_8"}) {
      m.map(c + ".weight", c + ".kernel", LayoutConversion.KERAS_CONV_TO_OIHW).map(c + ".bias", c + ".bias");
    }
    for (String b : new String[] {"batch_normalization", "batch_normalization_1", "batch_normalization_2",
        "batch_normalization_3", "batch_normalization_4", "batch_normalization_5", "batch_normalization_6"}) {
      m.map(b + ".gamma", b + ".gamma").map(b + ".beta", b + ".beta")
          .map(b + ".running_mean", b + ".moving_mean").map(b + ".running_var", b + ".moving_variance");
    }
    return m.map("dense.weight", "dense.kernel", LayoutConversion.KERAS_DENSE_TO_OI).map("dense.bias", "dense.bias")
        .build();
  }
}
