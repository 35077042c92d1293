package org.prunekit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.examples.StructuredMnistStudy.Options;

/**
 * A reduced run of the structured study on the real mnist-8 model: 70% of MACs removed by l1, one
 * fine-tuning pass over 2,000 training images, evaluation on the first 1,000 test images.
 */
class StructuredMnistStudyTest {
  private static final Path SHARED = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"));

  @Test
  void mnist8At70PercentMacsRemovedRecoversWithFineTuning() throws Exception {
    Options d = Options.defaults(SHARED);
    assumeTrue(Files.isRegularFile(d.models().get(0)) && Files.isDirectory(d.dataDir()), "shared MNIST data absent");
    Options o = new Options(d.dataDir(), List.of(d.models().get(0)), new double[] {0.7}, List.of("l1"), 2000, 1, 64,
        1e-3f, 256, 1000, true);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<StructuredMnistStudy.Row> rows = StructuredMnistStudy.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String log = buf.toString(StandardCharsets.UTF_8);
    assertEquals(1, rows.size(), log);
    StructuredMnistStudy.Row r = rows.get(0);
    assertTrue(log.contains("oneDNN convolutions: off"), log);
    assertEquals("mnist-8", r.model());
    assertEquals(786_560, r.macsBefore(), "mnist-8: 5x5 convs 1->8 at 28x28, 8->16 at 14x14, fc 256->10");
    assertEquals(5_994, r.paramsBefore());
    assertTrue(r.macFractionKept() <= 0.3, "MAC budget 0.3 met: " + r.macFractionKept());
    assertTrue(r.paramsAfter() < r.paramsBefore());
    assertTrue(r.accuracyBefore() >= 0.97, "mnist-8 scores 98.9% on the full test set: " + r.accuracyBefore());
    assertTrue(r.accuracyPruned() >= 0 && r.accuracyPruned() <= 1, "accuracy right after pruning: " + r.accuracyPruned());
    assertTrue(Float.isFinite(r.lastLoss()), "fine-tuning loss must stay finite (oneDNN NaN gradients): " + log);
    assertTrue(r.accuracyFineTuned() > r.accuracyPruned() + 0.1,
        "fine-tuning recovers accuracy: " + r.accuracyPruned() + " -> " + r.accuracyFineTuned() + "\n" + log);
    assertTrue(StructuredMnistStudy.table(rows).contains("| mnist-8 | l1 | 70% |"));
  }

  @Test
  void badOptionsAreRejected() {
    Path p = Path.of("x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Options(p, List.of(p),
        new double[] {1.0}, List.of("l1"), 10, 1, 8, 1e-3f, 8, 0, false));
    assertTrue(e.getMessage().contains("MAC removal must be in (0, 1), got 1.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Options(p, List.of(p), new double[] {0.5}, List.of("l1"),
        10, 1, 0, 1e-3f, 8, 0, false));
  }
}
