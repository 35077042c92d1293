package org.prunekit.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The documented Gaussian pruning demo runs and finds the known hidden and dominant Gaussians. */
class GaussianPruningDemoTest {
  @Test
  void demoPrunesHiddenAndKeepsDominant() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    GaussianPruningDemo.run(500, 2, 64, 48, 2, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("hidden kept: 0 of 200"), out);
    assertTrue(out.contains("dominant kept: 9 of 9"), out);
    assertTrue(out.contains("random scene (500 Gaussians, 2 views 64x48"), out);
  }
}
