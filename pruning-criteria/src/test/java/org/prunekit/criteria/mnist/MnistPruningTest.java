package org.prunekit.criteria.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.criteria.calibration.SequentialResult;
import org.prunekit.criteria.pattern.NmPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cheap asserted case of the MNIST CNN table ({@link MnistSweepTest} has the full table):
 * SparseGPT 2:4 on mnist-8, layer-sequential, 128 training images, all 10,000 test images.
 * Skipped without the shared data.
 */
class MnistPruningTest {
  private static final Logger LOG = LoggerFactory.getLogger(MnistPruningTest.class);

  @Test
  void sparseGptTwoFourKeepsMnist8Accurate() {
    assumeTrue(MnistCnns.available(MnistCnns.MNIST8), "shared data absent");
    Graph g = MnistCnns.load(MnistCnns.MNIST8);
    float[] conv1 = g.parameter("Convolution28.weight").value().data().clone();
    List<String> layers = MnistCnns.layers(g, 4);
    // conv1's view is [8, 1*5*5]: 25 is not a multiple of 4, so it stays dense
    assertEquals(List.of("Convolution110", "Times212"), layers);
    SequentialResult r = MnistCnns.prune(g, layers, "sparsegpt", NmPattern.keep(2, 4), MnistCnns.calibration(128, 0));
    assertEquals((16 * 200 + 10 * 256) / 2, r.report().maskedZeros());
    float[] m = g.parameter("Convolution110.weight").mask().data();
    for (int i = 0; i < m.length; i += 4) {
      assertEquals(2f, m[i] + m[i + 1] + m[i + 2] + m[i + 3], "group at " + i);
    }
    assertFalse(g.parameter("Convolution28.weight").hasMask());
    assertTrue(java.util.Arrays.equals(conv1, g.parameter("Convolution28.weight").value().data()));
    double acc = MnistCnns.accuracy(g, MnistCnns.test().size());
    LOG.info("mnist-8 sparsegpt 2:4: top-1 {}", acc);
    assertTrue(acc > 98.0, "top-1 " + acc + " (dense 98.91; measured 98.50 for this recipe)");
  }
}
