package org.prunekit.analysis.simcert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.onnx.OnnxImporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificates for the real ONNX MNIST CNN mnist-8 (conv, ReLU, max-pool, linear; raw 0..255
 * pixels) against its 50 % magnitude-pruned copy, on L∞ boxes around real test images. Skipped
 * without the shared data.
 */
class RealMnistCertTest {
  private static final Logger LOG = LoggerFactory.getLogger(RealMnistCertTest.class);
  private static final Path SHARED = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"), "data");
  private static final Path MNIST8 = SHARED.resolve("models/mnist-8-onnx/mnist-8.onnx");

  private static Graph dense;
  private static Graph pruned;
  private static IdxDataset test;

  @BeforeAll
  static void load() throws Exception {
    if (!Files.isRegularFile(MNIST8) || !Files.isDirectory(SHARED.resolve("mnist"))) {
      return;
    }
    dense = OnnxImporter.load(MNIST8);
    pruned = Nets.pruned(dense, 0.5);
    test = IdxDataset.loadDir(SHARED.resolve("mnist"), "t10k").subset(0, 4);
  }

  @Test
  void mnist8AgainstItsHalfPrunedCopy() {
    assumeTrue(dense != null, "shared MNIST data absent");
    DualNetwork net = DualNetwork.of(dense, pruned);
    assertEquals(784, net.inputSize());
    assertEquals(10, net.outputSize());
    float[] image = test.image(0);
    InputBox box = InputBox.around(image, 1.0, 0, 255);
    SimCert cert = SimCert.builder().setEpsilon(3000).setConfidence(0.99).optMaxDepth(0).build();
    SimCertResult r = cert.certify(net, box);
    LOG.info("mnist-8 vs 50% magnitude, image 0, radius 1 (raw pixels):\n{}", r.summary());
    // measured 2757 (probabilistic) and 2796 (worst case); logits of mnist-8 on raw pixels are in the thousands
    assertTrue(r.certified(), r.summary());
    assertTrue(r.certifiedEpsilon() <= r.deterministicEpsilon());
    // soundness on the real model: 2,000 DJL samples inside the worst-case bounds
    MonteCarloCheck.Samples s = MonteCarloCheck.sample(dense, pruned, box, 2000, 1);
    assertEquals(0, s.outside(r.deterministicLower(), r.deterministicUpper(), 1e-3), r.summary());
    assertEquals(0.0, s.violationRate(3000), 0.0);
    double observed = 0;
    for (double v : s.maxAbs()) {
      observed = Math.max(observed, v);
    }
    assertTrue(observed > 100, "pruning half the weights changes the logits, observed " + observed);
    // the bound is within a small factor of what sampling sees (not vacuous)
    assertTrue(r.certifiedEpsilon() < 3 * observed, "bound " + r.certifiedEpsilon() + " vs observed " + observed);
    LOG.info("observed max |Δ| over 2000 samples: {}", observed);
  }
}
