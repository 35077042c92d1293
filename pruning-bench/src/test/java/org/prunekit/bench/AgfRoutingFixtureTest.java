package org.prunekit.bench;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.prunekit.core.exec.OneDnnSwitch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class AgfRoutingFixtureTest {
  // libtorch 2.7.1's oneDNN conv backward sporadically returns NaN gradients on AVX-512 CPUs for some
  // channel counts (OneDnnSwitch, docs/core.md); this class computes conv gradients, so it runs with
  // oneDNN off and restores it after.
  @BeforeAll
  static void oneDnnOff() {
    OneDnnSwitch.disable();
  }

  @AfterAll
  static void oneDnnOn() {
    OneDnnSwitch.enable();
  }

  @Test
  void shippedDataSplitsIntoDisjointRanges() throws IOException {
    AgfRoutingFixture.Splits s = AgfRoutingFixture.splits(null, AgfRoutingFixture.shippedDir(), 20_000);
    assertEquals(6000, s.train().size());
    assertEquals(2000, s.validation().size());
    assertEquals(2000, s.test().size());
    assertTrue(s.source().contains("shipped"), s.source());
    // the ranges are consecutive views of t10k: the first validation image is t10k image 6000
    assertEquals(s.validation().label(0), s.validation().labels()[0]);
    float max = 0;
    for (float v : s.test().image(0)) {
      max = Math.max(max, v);
    }
    assertTrue(max <= 1f && max > 0.5f, "pixels scaled to [0, 1], max " + max);
  }

  @Test
  void fullTrainingFileWhenShared() throws IOException {
    Path shared = Path.of(System.getProperty("prunekit.shared.dir", "../../shared"));
    Assumptions.assumeTrue(Files.isRegularFile(shared.resolve("data/fashion-mnist/train-images-idx3-ubyte.gz")));
    AgfRoutingFixture.Splits s = AgfRoutingFixture.splits(shared, AgfRoutingFixture.shippedDir(), 20_000);
    assertEquals(20_000, s.train().size());
    assertEquals(10_000, s.validation().size());
    assertEquals(10_000, s.test().size());
  }

  @Test
  void missingDataIsNamed() {
    IOException e = assertThrows(IOException.class,
        () -> AgfRoutingFixture.splits(null, Path.of("/nonexistent/fm"), 100));
    assertTrue(e.getMessage().contains("/nonexistent/fm"), e.getMessage());
  }
}
