package org.prunekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.io.SavedModel;
import org.prunekit.core.mask.SparsityReport;

/** The main job on a small slice of the shipped data: trains, prunes, fine-tunes, saves, prints. */
class DemoTest {
  @TempDir Path tmp;

  @Test
  void demoRunsEndToEndOnShippedData() throws Exception {
    System.setProperty("prunekit.home", Path.of("..").toAbsolutePath().normalize().toString());
    CliTest.Result r = CliTest.run("demo", "--epochs", "1", "--fine-tune-epochs", "1", "--sparsity", "0.7",
        "--train-size", "1024", "--test-size", "256", "--out", tmp.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("magnitude") && r.out().contains("70%"), r.out());
    SavedModel pruned = ModelFormat.load(tmp.resolve("magnitude-70.pkm"));
    SparsityReport rep = SparsityReport.of(pruned.graph());
    // layer-wise 70%: every conv/linear weight holds exactly floor(0.7 * n) masked zeros
    for (SparsityReport.Entry e : rep.entries()) {
      if (e.name().endsWith(".weight")) {
        assertEquals((long) Math.floor(0.7 * e.numel()), e.maskedZeros(), e.name());
      }
    }
    assertEquals(1f / 255f, Float.parseFloat(pruned.provenance().settings().get("input.scale")));
    // the dense model was saved too, with no masks
    SavedModel dense = ModelFormat.load(tmp.resolve("dense.pkm"));
    assertTrue(dense.graph().parameters().stream().noneMatch(p -> p.hasMask()));
  }
}
