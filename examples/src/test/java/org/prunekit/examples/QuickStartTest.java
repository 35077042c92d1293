package org.prunekit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.io.ModelFormat;
import org.prunekit.core.mask.SparsityReport;

/** The documented quick start runs and produces what the guide says. */
class QuickStartTest {
  @TempDir Path tmp;

  @Test
  void quickStartRunsAsDocumented() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    QuickStart.run(tmp, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("logits shape [4, 10]"), out);
    assertTrue(Files.size(tmp.resolve("quickstart.onnx")) > 1000);
    SparsityReport rep = SparsityReport.of(ModelFormat.load(tmp.resolve("quickstart.pkm")).graph());
    assertEquals(0.5, rep.entry("fc.weight").maskedSparsity(), 1e-9);
    // per output row floor(0.5 * 9) = 4 of the 9 kernel weights go
    assertEquals(4.0 / 9.0, rep.entry("conv1.weight").maskedSparsity(), 1e-9);
  }
}
