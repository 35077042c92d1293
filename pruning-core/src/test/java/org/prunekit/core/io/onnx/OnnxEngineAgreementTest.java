package org.prunekit.core.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;

/**
 * Our engine ({@link GraphExecutor}) and ONNX Runtime agree on imported and exported graphs, so
 * the ONNX semantics (SAME paddings, count_include_pad, batch-norm momentum and epsilon, dilations,
 * softmax axes) are carried over, not only round-tripped.
 */
class OnnxEngineAgreementTest {
  @Test
  void importedHandBuiltModelRunsLikeOnnxRuntime() throws Exception {
    byte[] model = OnnxImporterTest.kitchenSinkModel();
    Tensor x = Tensor.of(OnnxImporterTest.random(3 * 3 * 49, 31), 3, 3, 7, 7);
    try (Ort ort = new Ort(model); GraphExecutor ex = GraphExecutor.create(OnnxImporter.load(model))) {
      Tensor expected = ort.run(x);
      assertEquals(3 * 5, expected.size());
      OnnxRealModelsTest.assertClose(expected, ex.predict(x), 1e-4f);
    }
  }

  @Test
  void exportedBuilderGraphRunsInOnnxRuntimeLikeOurEngine() throws Exception {
    Graph g = OnnxExporterTest.everyOpGraph();
    g.parameter("fc.weight").setMask(Tensor.full(g.parameter("fc.weight").shape(), 0f));
    Tensor x = Tensor.of(OnnxImporterTest.random(2 * 3 * 64, 32), 2, 3, 8, 8);
    try (Ort ort = new Ort(OnnxExporter.toBytes(g)); GraphExecutor ex = GraphExecutor.create(g)) {
      OnnxRealModelsTest.assertClose(ex.predict(x), ort.run(x), 1e-4f);
    }
  }
}
