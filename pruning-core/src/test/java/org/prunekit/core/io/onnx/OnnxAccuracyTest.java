package org.prunekit.core.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imported real models, run on our own engine ({@link GraphExecutor}) over the full MNIST
 * test set, reach the accuracies measured for the original files, and their outputs equal ONNX
 * Runtime's on the original files.
 *
 * <p>Outputs are compared relative to each sample's largest logit: with raw 0..255 pixels the
 * mnist-8 logits reach thousands, where one float32 ulp is about 5e-4, so an absolute 1e-4 bound
 * cannot hold between two correct engines (PyTorch and ONNX Runtime accumulate in different
 * orders). The bound used is {@code |ours - ort| <= 1e-4 * max(1, max|logit of the sample|)}.
 */
class OnnxAccuracyTest {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxAccuracyTest.class);
  private static final Path MNIST = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"), "data", "mnist");

  private record Result(double accuracy, double ortAccuracy, float maxAbsDiff, float maxRelDiff, float maxRowScaledDiff) {}

  private static Result evaluate(Path model, boolean fixedBatchOne) throws Exception {
    IdxDataset test = IdxDataset.loadDir(MNIST, "t10k"); // raw 0..255 pixels
    Graph g = OnnxImporter.load(model);
    int correct = 0;
    int ortCorrect = 0;
    float maxAbs = 0;
    float maxRel = 0;
    float maxRow = 0;
    try (GraphExecutor ex = GraphExecutor.create(g); Ort ort = new Ort(Files.readAllBytes(model))) {
      for (IdxDataset.Batch b : test.batches(500)) {
        Tensor ours = ex.predict(b.images());
        Tensor ref = fixedBatchOne ? ort.runOneByOne(b.images()) : ort.run(b.images());
        assertEquals(ref.shape(), ours.shape());
        for (int k = 0; k < ours.size(); k++) {
          float e = ref.data()[k];
          float d = Math.abs(e - ours.data()[k]);
          maxAbs = Math.max(maxAbs, d);
          maxRel = Math.max(maxRel, d / Math.max(1f, Math.abs(e)));
        }
        int classes = ours.shape().get(1);
        for (int i = 0; i < b.size(); i++) {
          float scale = 1f;
          float diff = 0f;
          for (int k = i * classes; k < (i + 1) * classes; k++) {
            scale = Math.max(scale, Math.abs(ref.data()[k]));
            diff = Math.max(diff, Math.abs(ref.data()[k] - ours.data()[k]));
          }
          maxRow = Math.max(maxRow, diff / scale);
        }
        for (int i = 0; i < b.size(); i++) {
          correct += argmax(ours.data(), i * classes, classes) == b.labels()[i] ? 1 : 0;
          ortCorrect += argmax(ref.data(), i * classes, classes) == b.labels()[i] ? 1 : 0;
        }
      }
    }
    Result r = new Result(100.0 * correct / test.size(), 100.0 * ortCorrect / test.size(), maxAbs, maxRel, maxRow);
    LOG.info("{}: {}", model.getFileName(), r);
    return r;
  }

  private static int argmax(float[] d, int from, int n) {
    int best = 0;
    for (int k = 1; k < n; k++) {
      if (d[from + k] > d[from + best]) {
        best = k;
      }
    }
    return best;
  }

  @Test
  void mnist8ReachesItsAccuracyOnOurEngine() throws Exception {
    assumeTrue(Files.isRegularFile(OnnxRealModelsTest.MNIST8) && Files.isDirectory(MNIST), "shared data not present");
    Result r = evaluate(OnnxRealModelsTest.MNIST8, true);
    assertEquals(98.91, r.accuracy(), 0.05, r.toString());
    assertEquals(98.91, r.ortAccuracy(), 0.05, r.toString());
    assertTrue(r.maxRowScaledDiff() <= 1e-4f, r.toString());
  }

  @Test
  void tribuoLenetReachesItsAccuracyOnOurEngine() throws Exception {
    assumeTrue(Files.isRegularFile(OnnxRealModelsTest.TRIBUO) && Files.isDirectory(MNIST), "shared data not present");
    Result r = evaluate(OnnxRealModelsTest.TRIBUO, false);
    assertEquals(99.04, r.accuracy(), 0.05, r.toString());
    assertEquals(99.04, r.ortAccuracy(), 0.05, r.toString());
    assertTrue(r.maxRowScaledDiff() <= 1e-4f, r.toString());
  }
}
