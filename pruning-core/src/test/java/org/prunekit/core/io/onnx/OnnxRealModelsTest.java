package org.prunekit.core.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.tensor.Tensor;

/** Import, export and ONNX Runtime comparisons on the two real MNIST models of the shared data. */
class OnnxRealModelsTest {
  private static final Path SHARED = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"), "data");
  static final Path MNIST8 = SHARED.resolve("models/mnist-8-onnx/mnist-8.onnx");
  static final Path TRIBUO = SHARED.resolve("models/lenet-mnist-tribuo-onnx/pytorch_cnn_mnist.onnx");

  static Tensor images(int n) throws Exception {
    return IdxDataset.loadDir(SHARED.resolve("mnist"), "t10k").batch(0, n);
  }

  private static List<String> types(Graph g) {
    return g.nodes().stream().map(n -> n.op().type()).toList();
  }

  private static float[] initializer(Path model, String name) throws Exception {
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
    for (TensorProto t : m.getGraph().getInitializerList()) {
      if (t.getName().equals(name)) {
        return OnnxConst.fromProto(t, name).asFloats();
      }
    }
    throw new AssertionError("no initializer " + name);
  }

  /** |a - b| <= tol * max(1, |b|) element-wise. */
  static void assertClose(Tensor expected, Tensor actual, float tol) {
    assertEquals(expected.shape(), actual.shape());
    for (int i = 0; i < expected.size(); i++) {
      float e = expected.data()[i];
      float a = actual.data()[i];
      assertTrue(Math.abs(e - a) <= tol * Math.max(1f, Math.abs(e)),
          "element " + i + ": expected " + e + ", got " + a + " (max abs diff " + Ort.maxAbsDiff(expected, actual) + ")");
    }
  }

  @Test
  void mnist8ImportsWithFoldedBiasesAndTransposedWeights() throws Exception {
    assumeTrue(Files.isRegularFile(MNIST8), "mnist-8.onnx not present");
    Graph g = OnnxImporter.load(MNIST8);
    assertEquals(List.of("conv", "activation", "pool", "conv", "activation", "pool", "reshape", "linear"), types(g));
    assertEquals(new Shape(1, 28, 28), g.inputs().get(0).sampleShape());
    assertEquals(List.of("Times212"), g.outputs());
    Node conv = g.node("Convolution28");
    Conv c = (Conv) conv.op();
    assertTrue(c.bias(), "Plus30's [8,1,1] constant is folded into the conv bias");
    assertEquals(Padding.Mode.SAME_UPPER, c.padding().mode());
    assertArrayEquals(initializer(MNIST8, "Parameter6"), conv.param("bias").value().data());
    Linear l = (Linear) g.node("Times212").op();
    assertEquals(new Linear(256, 10, true), l);
    float[] p193 = initializer(MNIST8, "Parameter193"); // [16,4,4,10] = [256, 10] row-major
    float[] w = g.parameter("Times212.weight").value().data(); // [10, 256]
    for (int o = 0; o < 10; o++) {
      for (int i = 0; i < 256; i += 37) {
        assertEquals(p193[i * 10 + o], w[o * 256 + i], 0f);
      }
    }
    assertArrayEquals(initializer(MNIST8, "Parameter194"), g.parameter("Times212.bias").value().data());
    assertEquals(new Shape(4, 10), g.inferShapes(4).get("Times212"));
  }

  @Test
  void mnist8ExportMatchesOriginalInOnnxRuntime() throws Exception {
    assumeTrue(Files.isRegularFile(MNIST8), "mnist-8.onnx not present");
    Tensor x = images(64);
    Tensor expected;
    try (Ort ort = new Ort(Files.readAllBytes(MNIST8))) {
      expected = ort.runOneByOne(x); // the original fixes batch 1
    }
    Graph g = OnnxImporter.load(MNIST8);
    byte[] exported = OnnxExporter.toBytes(g);
    try (Ort ort = new Ort(exported)) {
      assertClose(expected, ort.run(x), 1e-5f);
    }
    // and once more through our own format: import(export(g)) exports to the same model numerics
    Graph again = OnnxImporter.load(exported);
    assertEquals(types(g), types(again));
    try (Ort ort = new Ort(OnnxExporter.toBytes(again))) {
      assertClose(expected, ort.run(x), 1e-5f);
    }
  }

  @Test
  void tribuoImportsAndExportMatchesOriginalInOnnxRuntime() throws Exception {
    assumeTrue(Files.isRegularFile(TRIBUO), "pytorch_cnn_mnist.onnx not present");
    Graph g = OnnxImporter.load(TRIBUO);
    assertEquals(List.of("conv", "pool", "activation", "conv", "pool", "activation", "reshape", "linear",
        "activation", "linear", "activation", "activation"), types(g));
    assertEquals(21840, g.parameters().stream().mapToLong(p -> p.numel()).sum());
    assertArrayEquals(initializer(TRIBUO, "fc1.weight"), g.node("Gemm_17").param("weight").value().data());

    Tensor x = images(64);
    try (Ort original = new Ort(Files.readAllBytes(TRIBUO)); Ort exported = new Ort(OnnxExporter.toBytes(g))) {
      Tensor expected = original.run(x);
      assertEquals(new Shape(64, 10), expected.shape());
      assertClose(expected, exported.run(x), 1e-5f);
    }
  }
}
