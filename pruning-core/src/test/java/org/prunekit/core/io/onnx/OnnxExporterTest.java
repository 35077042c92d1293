package org.prunekit.core.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Activation;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Padding;
import org.prunekit.core.graph.op.Pool;
import org.prunekit.core.tensor.Tensor;

/** Export to ONNX, checked with hand-computed values and ONNX Runtime. */
class OnnxExporterTest {
  @TempDir Path dir;

  private static Graph tinyMlp() {
    Graph g = GraphBuilder.create(1).input("x", 2).linear("fc", 2).relu().build();
    g.parameter("fc.weight").setValue(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
    g.parameter("fc.bias").setValue(Tensor.of(new float[] {0.5f, -1f}, 2));
    return g;
  }

  @Test
  void linearBecomesGemmTransB1WithHandComputedOutputs() throws Exception {
    Graph g = tinyMlp();
    ModelProto m = OnnxExporter.toModel(g);
    assertEquals(OnnxExporter.OPSET, m.getOpsetImport(0).getVersion());
    NodeProto gemm = m.getGraph().getNode(0);
    assertEquals("Gemm", gemm.getOpType());
    assertEquals(List.of("x", "fc.weight", "fc.bias"), gemm.getInputList());
    assertEquals("transB", gemm.getAttribute(0).getName());
    assertEquals(1, gemm.getAttribute(0).getI());
    assertEquals("batch", m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
    try (Ort ort = new Ort(m.toByteArray())) {
      // [1,1] -> [1+2+0.5, 3+4-1] = [3.5, 6]; [-1,0] -> relu([-0.5, -4]) = [0, 0]
      Tensor y = ort.run(Tensor.of(new float[] {1, 1, -1, 0}, 2, 2));
      assertEquals(new Shape(2, 2), y.shape());
      assertArrayEquals(new float[] {3.5f, 6f, 0f, 0f}, y.data(), 1e-6f);
    }
  }

  @Test
  void masksAreAppliedToExportedWeightsWithoutTouchingTheGraph() throws Exception {
    Graph g = tinyMlp();
    g.parameter("fc.weight").setMask(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2));
    Path file = dir.resolve("masked.onnx");
    OnnxExporter.save(g, file);
    byte[] bytes = Files.readAllBytes(file);
    TensorProto w = ModelProto.parseFrom(bytes).getGraph().getInitializerList().stream()
        .filter(t -> t.getName().equals("fc.weight")).findFirst().orElseThrow();
    assertArrayEquals(new float[] {1, 0, 0, 4}, OnnxConst.fromProto(w, "w").asFloats());
    assertArrayEquals(new float[] {1, 2, 3, 4}, g.parameter("fc.weight").value().data(), "graph values unchanged");
    assertTrue(g.parameter("fc.weight").hasMask());
    try (Ort ort = new Ort(bytes)) {
      assertArrayEquals(new float[] {1.5f, 3f}, ort.run(Tensor.of(new float[] {1, 1}, 1, 2)).data(), 1e-6f);
    }
  }

  @Test
  void unsupportedOpIsRejectedNamingTheNodeAndNothingIsWritten() {
    Graph g = GraphBuilder.create(1).input("x", 4, 8).layerNorm("ln1").linear("fc", 2).build();
    Path file = dir.resolve("never.onnx");
    OnnxModelException e = assertThrows(OnnxModelException.class, () -> OnnxExporter.save(g, file));
    assertTrue(e.getMessage().contains("'ln1'"), e.getMessage());
    assertFalse(Files.exists(file));
    Graph gelu = GraphBuilder.create(1).input("x", 4).activation(Activation.Kind.GELU).build();
    e = assertThrows(OnnxModelException.class, () -> OnnxExporter.toBytes(gelu));
    assertTrue(e.getMessage().contains(gelu.nodes().get(0).name()) && e.getMessage().contains("GELU"), e.getMessage());
  }

  @Test
  void spikingOpsAreRejectedClearly() {
    Graph g = GraphBuilder.create(1).input("x", 4)
        .node("enc", new org.prunekit.core.graph.op.TimeEncode(2, org.prunekit.core.graph.op.TimeEncode.Mode.REPEAT), "x")
        .node("lif", org.prunekit.core.graph.op.Lif.of(2, 0.9f), "enc").build();
    Path file = dir.resolve("snn.onnx");
    OnnxModelException e = assertThrows(OnnxModelException.class, () -> OnnxExporter.save(g, file));
    assertTrue(e.getMessage().contains("'enc'") && e.getMessage().contains("spiking op 'timeencode'"), e.getMessage());
    assertFalse(Files.exists(file));
    Graph lifOnly = GraphBuilder.create(1).input("x", 4)
        .node("lif", new org.prunekit.core.graph.op.Lif(1, 0.9f, 1f, org.prunekit.core.graph.op.Lif.Reset.ZERO, 25f), "x")
        .build();
    e = assertThrows(OnnxModelException.class, () -> OnnxExporter.toBytes(lifOnly));
    assertTrue(e.getMessage().contains("'lif'") && e.getMessage().contains("spiking op 'lif'"), e.getMessage());
  }

  /** A graph using every exported op kind, with SAME padding, branches, Add, Concat and Softmax. */
  static Graph everyOpGraph() {
    GraphBuilder b = GraphBuilder.create(7).input("img", 3, 8, 8);
    b.node("conv_same", new Conv(2, 3, 6, new int[] {3, 3}, new int[] {2, 2}, Padding.same(2), new int[] {1, 1}, 1, true), "img");
    b.batchNorm("bn").activation(Activation.Kind.SIGMOID);
    String trunk = b.cursor();
    b.node("avg", new Pool(Pool.Kind.AVG, 2, new int[] {3, 3}, new int[] {1, 1}, Padding.symmetric(2, 1), true), trunk);
    String left = b.cursor();
    b.from(trunk).conv2d("dw", 6, 3, 1, 1, 6).activation(Activation.Kind.TANH);
    b.add("sum", left, b.cursor());
    b.concat("cat", "sum", trunk);
    b.maxPool2d(2).dropout(0.5f);
    String pooled = b.cursor();
    b.flatten().linear("fc", 10).relu();
    String head = b.cursor();
    b.from(pooled).globalAvgPool().linear("fc2", 10);
    b.add("both", head, b.cursor()).reshape(2, 5).linear("per_row", 3).softmax();
    Graph g = b.build();
    g.parameter("bn.running_var").setValue(Tensor.full(new Shape(6), 2f));
    g.parameter("bn.running_mean").setValue(Tensor.full(new Shape(6), 0.25f));
    return g;
  }

  @Test
  void builderGraphWithEveryExportedOpRunsInOrtWithInferredShapesAndReimports() throws Exception {
    Graph g = everyOpGraph();
    byte[] bytes = OnnxExporter.toBytes(g);
    Tensor x = Tensor.of(OnnxImporterTest.random(2 * 3 * 64, 21), 2, 3, 8, 8);
    Tensor y;
    try (Ort ort = new Ort(bytes)) {
      y = ort.run(x);
    }
    String out = g.outputs().get(0);
    assertEquals(g.inferShapes(2).get(out), y.shape());
    for (int r = 0; r < 4; r++) { // softmax rows sum to one
      assertEquals(1f, y.data()[3 * r] + y.data()[3 * r + 1] + y.data()[3 * r + 2], 1e-5f);
    }
    Graph again = OnnxImporter.load(bytes);
    Map<String, Shape> shapes = again.inferShapes(2);
    assertEquals(y.shape(), shapes.get(again.outputs().get(0)));
    assertEquals(g.parameters().size(), again.parameters().size());
    // SAME on 8 with kernel 3, stride 2: output 4, one pixel of padding, at the end
    assertEquals(Padding.Mode.EXPLICIT, ((Conv) again.node("conv_same").op()).padding().mode());
    assertArrayEquals(new int[] {0, 0}, ((Conv) again.node("conv_same").op()).padding().begin());
    assertArrayEquals(new int[] {1, 1}, ((Conv) again.node("conv_same").op()).padding().end());
    try (Ort ort = new Ort(OnnxExporter.toBytes(again))) {
      OnnxRealModelsTest.assertClose(y, ort.run(x), 1e-6f);
    }
  }
}
