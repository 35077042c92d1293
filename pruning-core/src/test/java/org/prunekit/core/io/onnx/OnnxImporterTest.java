package org.prunekit.core.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prunekit.core.io.onnx.OnnxModels.f;
import static org.prunekit.core.io.onnx.OnnxModels.i;
import static org.prunekit.core.io.onnx.OnnxModels.ints;
import static org.prunekit.core.io.onnx.OnnxModels.s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Concat;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.tensor.Tensor;

/** Import of hand-built ONNX models, checked against hand-computed weights and ONNX Runtime. */
class OnnxImporterTest {
  @TempDir Path dir;

  static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] f = new float[n];
    for (int k = 0; k < n; k++) {
      f[k] = (float) (r.nextDouble() * 2 - 1);
    }
    return f;
  }

  private static List<String> types(Graph g) {
    return g.nodes().stream().map(n -> n.op().type()).toList();
  }

  /** ORT on the original model and on export(import(model)) agree on {@code x}. */
  private static Graph checkRoundTrip(byte[] model, Tensor x, boolean fixedBatch) throws Exception {
    Graph g = OnnxImporter.load(model);
    try (Ort original = new Ort(model); Ort exported = new Ort(OnnxExporter.toBytes(g))) {
      Tensor expected = fixedBatch ? original.runOneByOne(x) : original.run(x);
      OnnxRealModelsTest.assertClose(expected, exported.run(x), 1e-5f);
    }
    return g;
  }

  @Test
  void gemmWithTransB0AlphaBetaBecomesLinearWithOutInWeights() throws Exception {
    byte[] model = OnnxModels.create()
        .input("x", -1, 3).output("y", -1, 2)
        .raw("B", new float[] {1, 2, 3, 4, 5, 6}, 3, 2)
        .floats("C", new float[] {10, 20}, 2)
        .node("Gemm", "fc", List.of("x", "B", "C"), "y", f("alpha", 2f), f("beta", 0.5f), i("transB", 0))
        .bytes();
    Graph g = OnnxImporter.load(model);
    assertEquals(new Linear(3, 2, true), g.node("fc").op());
    assertArrayEquals(new float[] {2, 6, 10, 4, 8, 12}, g.parameter("fc.weight").value().data());
    assertArrayEquals(new float[] {5, 10}, g.parameter("fc.bias").value().data());
    try (Ort ort = new Ort(OnnxExporter.toBytes(g))) {
      assertArrayEquals(new float[] {23, 34}, ort.run(Tensor.of(new float[] {1, 1, 1}, 1, 3)).data(), 1e-5f);
    }
    checkRoundTrip(model, Tensor.of(random(12, 1), 4, 3), false);
  }

  @Test
  void constantAddsFoldIntoConvAndMatMulBiasesWithInitializersListedAsInputs() throws Exception {
    float[] w = random(3 * 2 * 9, 2);
    float[] m = random(75 * 4, 3);
    byte[] model = OnnxModels.create().opset(8)
        .input("X", 1, 2, 5, 5).input("W", 3, 2, 3, 3).input("B", 3, 1, 1).input("M", 75, 4).input("b2", 1, 4)
        .output("Y", 1, 4)
        .floats("W", w, 3, 2, 3, 3)
        .raw("B", new float[] {0.5f, -1f, 2f}, 3, 1, 1)
        .raw("M", m, 75, 4)
        .floats("b2", new float[] {1, 2, 3, 4}, 1, 4)
        .node("Conv", "conv", List.of("X", "W"), "C", ints("pads", 1, 1, 1, 1), ints("kernel_shape", 3, 3))
        .node("Add", "plus", List.of("C", "B"), "D")
        .node("Relu", "relu", List.of("D"), "E")
        .node("Flatten", "flat", List.of("E"), "F", i("axis", 1))
        .node("MatMul", "mm", List.of("F", "M"), "G")
        .node("Add", "plus2", List.of("b2", "G"), "Y")
        .bytes();
    Graph g = checkRoundTrip(model, Tensor.of(random(3 * 50, 4), 3, 2, 5, 5), true);
    assertEquals(1, g.inputs().size(), "initializers listed as inputs are not graph inputs");
    assertEquals(List.of("conv", "activation", "flatten", "linear"), types(g));
    assertTrue(((Conv) g.node("conv").op()).bias());
    assertArrayEquals(new float[] {0.5f, -1f, 2f}, g.parameter("conv.bias").value().data());
    assertArrayEquals(w, g.parameter("conv.weight").value().data());
    assertEquals(new Linear(75, 4, true), g.node("mm").op());
    assertArrayEquals(new float[] {1, 2, 3, 4}, g.parameter("mm.bias").value().data());
    assertEquals(m[1 * 4 + 2], g.parameter("mm.weight").value().data()[2 * 75 + 1], 0f); // [out=2, in=1]
    assertEquals(List.of("mm"), g.outputs());
  }

  @Test
  void reshapeKeepsTheBatchAndResolvesZerosAndMinusOne() throws Exception {
    byte[] model = OnnxModels.create()
        .input("x", -1, 2, 3, 4).output("y", -1, 24)
        .constInt64Raw("shape1", 0, 6, -1)
        .int64("shape2", -1, 24)
        .node("Reshape", "r1", List.of("x", "shape1"), "a")
        .node("Relu", "relu", List.of("a"), "b")
        .node("Reshape", "r2", List.of("b", "shape2"), "y")
        .bytes();
    Graph g = checkRoundTrip(model, Tensor.of(random(48, 5), 2, 2, 3, 4), false);
    assertEquals(new Reshape(new int[] {6, -1}), g.node("r1").op(), "0 copies the input dimension, -1 stays inferred");
    assertEquals(new Reshape(new int[] {24}), g.node("r2").op());
    assertEquals(new Shape(5, 24), g.inferShapes(5).get("r2"));
  }

  @Test
  void reshapeThatMovesTheBatchIsRejected() {
    byte[] model = OnnxModels.create()
        .input("x", -1, 2, 3).output("y", 3, -1)
        .int64("shape", 3, -1)
        .node("Reshape", "bad_reshape", List.of("x", "shape"), "y")
        .bytes();
    OnnxModelException e = assertThrows(OnnxModelException.class, () -> OnnxImporter.load(model));
    assertTrue(e.getMessage().contains("bad_reshape") && e.getMessage().contains("batch"), e.getMessage());
  }

  @Test
  void concatAndAddOfTwoComputedTensors() throws Exception {
    byte[] model = OnnxModels.create()
        .input("x", -1, 4, 3, 3).output("y", -1, 8)
        .node("Relu", "relu", List.of("x"), "a")
        .node("Sigmoid", "sig", List.of("x"), "b")
        .node("Add", "sum", List.of("a", "b"), "s")
        .node("Concat", "cat", List.of("a", "s"), "c", i("axis", -3))
        .node("GlobalAveragePool", "gap", List.of("c"), "p")
        .node("Flatten", "flat", List.of("p"), "q")
        .node("Softmax", "sm", List.of("q"), "y", i("axis", -1))
        .bytes();
    Graph g = checkRoundTrip(model, Tensor.of(random(72, 6), 2, 4, 3, 3), false);
    assertEquals(List.of("activation", "activation", "add", "concat", "globalpool", "flatten", "activation"), types(g));
    assertEquals(new Concat(1), g.node("cat").op());
    assertEquals(List.of("relu", "sum"), g.node("cat").inputs());
    assertEquals(new Activation(Activation.Kind.SOFTMAX, -1), g.node("sm").op());
  }

  /** A model with strided SAME conv, BN, pools, depthwise dilated conv, GAP and Gemm (4 channels). */
  static byte[] kitchenSinkModel() {
    int c = 4;
    return OnnxModels.create()
        .input("x", -1, 3, 7, 7).output("y", -1, 5)
        .raw("w1", random(c * 3 * 9, 7), c, 3, 3, 3).raw("b1", random(c, 8), c)
        .raw("gamma", new float[] {1, 2, 0.5f, 1.5f}, c).raw("beta", random(c, 9), c)
        .raw("mean", random(c, 10), c).raw("var", new float[] {1, 0.5f, 2, 0.25f}, c)
        .raw("w2", random(c * 9, 11), c, 1, 3, 3)
        .raw("fw", random(5 * c, 12), 5, c).raw("fb", random(5, 13), 5)
        .node("Conv", "conv1", List.of("x", "w1", "b1"), "c1", s("auto_pad", "SAME_UPPER"), ints("strides", 2, 2))
        .node("BatchNormalization", "bn", List.of("c1", "gamma", "beta", "mean", "var"), "n1", f("epsilon", 1e-3f))
        .node("Relu", "relu", List.of("n1"), "r1")
        .node("AveragePool", "avg", List.of("r1"), "p1", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1))
        .node("Dropout", "drop", List.of("p1"), "d1")
        .node("MaxPool", "max", List.of("d1"), "p2", ints("kernel_shape", 2, 2), ints("strides", 1, 1), s("auto_pad", "SAME_LOWER"))
        .node("Conv", "dw", List.of("p2", "w2"), "c2", i("group", c), ints("dilations", 2, 2), ints("pads", 2, 2, 2, 2))
        .node("Identity", "id", List.of("c2"), "c3")
        .node("GlobalAveragePool", "gap", List.of("c3"), "g")
        .node("Flatten", "flat", List.of("g"), "h")
        .node("Gemm", "fc", List.of("h", "fw", "fb"), "y", i("transB", 1))
        .bytes();
  }

  @Test
  void convolutionsPoolsBatchNormAndDroppedIdentities() throws Exception {
    int c = 4;
    byte[] model = kitchenSinkModel();
    Graph g = checkRoundTrip(model, Tensor.of(random(2 * 3 * 49, 14), 2, 3, 7, 7), false);
    assertEquals(List.of("conv", "batchnorm", "activation", "pool", "pool", "conv", "globalpool", "flatten", "linear"), types(g));
    assertEquals(new BatchNorm(c, 1e-3f, 0.1f), g.node("bn").op());
    Pool avg = (Pool) g.node("avg").op();
    assertFalse(avg.countIncludePad(), "ONNX default count_include_pad=0");
    assertEquals(Padding.Mode.SAME_LOWER, ((Pool) g.node("max").op()).padding().mode());
    Conv dw = (Conv) g.node("dw").op();
    assertTrue(dw.isDepthwise());
    assertArrayEquals(new int[] {2, 2}, dw.dilation());
    assertEquals(List.of("max"), g.node("dw").inputs());
  }

  @Test
  void unsupportedOperatorIsRejectedWithNodeNameAndOpType() throws Exception {
    byte[] model = OnnxModels.create()
        .input("x", -1, 4, 3, 3).output("y", -1, 4, 3, 3)
        .node("Relu", "relu", List.of("x"), "a")
        .node("LRN", "norm1", List.of("a"), "y", i("size", 3))
        .bytes();
    OnnxModelException e = assertThrows(OnnxModelException.class, () -> OnnxImporter.load(model));
    assertTrue(e.getMessage().contains("'norm1'") && e.getMessage().contains("LRN"), e.getMessage());
    Path file = dir.resolve("lrn.onnx");
    Files.write(file, model);
    e = assertThrows(OnnxModelException.class, () -> OnnxImporter.load(file));
    assertTrue(e.getMessage().contains("lrn.onnx") && e.getMessage().contains("norm1"), e.getMessage());
  }

  @Test
  void constantAddThatIsNotAPerChannelBiasIsRejected() {
    byte[] model = OnnxModels.create()
        .input("x", -1, 2, 3, 3).output("y", -1, 3, 3, 3)
        .raw("w", random(3 * 2, 15), 3, 2, 1, 1)
        .raw("k", random(9, 16), 3, 3)
        .node("Conv", "conv", List.of("x", "w"), "c")
        .node("Add", "plus_map", List.of("c", "k"), "y")
        .bytes();
    OnnxModelException e = assertThrows(OnnxModelException.class, () -> OnnxImporter.load(model));
    assertTrue(e.getMessage().contains("plus_map") && e.getMessage().contains("per-channel"), e.getMessage());
  }

  @Test
  void oldOpsetSoftmaxOverSeveralAxesIsRejected() {
    byte[] model = OnnxModels.create().opset(11)
        .input("x", -1, 2, 3).output("y", -1, 2, 3)
        .node("Softmax", "sm", List.of("x"), "y", i("axis", 1))
        .bytes();
    OnnxModelException e = assertThrows(OnnxModelException.class, () -> OnnxImporter.load(model));
    assertTrue(e.getMessage().contains("'sm'") && e.getMessage().contains("opset 13"), e.getMessage());
  }

  @Test
  void symbolicNonBatchDimensionIsRejected() {
    byte[] model = OnnxModels.create()
        .input("x", -1, -1).output("y", -1, -1)
        .node("Relu", "relu", List.of("x"), "y")
        .bytes();
    OnnxModelException e = assertThrows(OnnxModelException.class, () -> OnnxImporter.load(model));
    assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("dimension 1"), e.getMessage());
  }
}
