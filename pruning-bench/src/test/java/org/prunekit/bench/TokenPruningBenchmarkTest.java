package org.prunekit.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.prunekit.core.tensor.Tensor;

/** The token-pruning benchmark state sets up, counts exact MACs and runs both paths. */
class TokenPruningBenchmarkTest {
  @Test
  void stateCountsHandComputedMacsAndRuns() {
    TokenPruningBenchmark b = new TokenPruningBenchmark();
    b.keepRatio = 0.5;
    b.batch = 2;
    b.proxy = "V_NORM";
    b.setUp();
    try {
      TokenPruningBenchmark.TokenCounters c = new TokenPruningBenchmark.TokenCounters();
      Tensor d = b.dense(c);
      Tensor p = b.pruned(c);
      assertArrayEquals(new int[] {2, 10}, d.shape().dims());
      assertArrayEquals(new int[] {2, 10}, p.shape().dims());
      // per image: patch embed 50*16*32 = 25600; block(s) = s*(4*32*32 + 2*32*64) + 2*4*8*s^2:
      // block(50) = 569600, block(26) = 256256; head 32*10 = 320; V-norm proxy 50*32*32 = 51200.
      long dense = 25_600 + 6 * 569_600 + 320;
      long pruned = 25_600 + 569_600 + 5 * 256_256 + 320 + 51_200;
      assertEquals(2 * (dense + pruned), c.macs);
      assertEquals(50 + 26, c.tokens);
      assertEquals(2, c.calls);
    } finally {
      b.tearDown();
    }
  }
}
