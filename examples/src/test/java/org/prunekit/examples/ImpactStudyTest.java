package org.prunekit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunekit.analysis.impact.ImpactReport;

/** A reduced IMPACT study on the shipped Fashion-MNIST test set: 640 training images, 100 analysed. */
class ImpactStudyTest {
  private static int threads;

  /**
   * One PyTorch intra-op thread for this class: the study runs many tiny ops, and on the busy
   * 2-core build machine two OpenMP threads made it about 5x slower (docs/impact.md).
   */
  @BeforeAll
  static void oneThread() {
    ai.djl.engine.Engine.getEngine("PyTorch");
    threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
  }

  @AfterAll
  static void restoreThreads() {
    ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
  }

  @Test
  void denseAndWandaReportsOnShippedData() throws Exception {
    Path out = Files.createTempFile("impact", ".json");
    ImpactStudy.Options o = new ImpactStudy.Options(null, 640, 1, 100, new int[] {0, 6}, 10, 20, 0.5, out);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<ImpactReport> reports = ImpactStudy.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String log = buf.toString(StandardCharsets.UTF_8);
    assertEquals(2, reports.size(), log);
    ImpactReport dense = reports.get(0);
    ImpactReport pruned = reports.get(1);
    assertEquals("dense", dense.model());
    assertEquals("wanda-50", pruned.model());
    assertEquals(0.0, dense.blockWeightSparsity(), 0);
    assertEquals(0.5, pruned.blockWeightSparsity(), 1e-12);
    // 2 blocks x (q, k, v, o: 4 x 32 x 32 + fc1, fc2: 2 x 32 x 64) non-zeros; Wanda keeps half of every row
    assertEquals(16384, dense.circuit().allNodeEdges());
    assertEquals(8192, pruned.circuit().allNodeEdges());
    assertEquals(136, dense.circuit().nodes());
    assertEquals(2, dense.sae().size());
    assertEquals(2, dense.selectivity().size());
    assertTrue(log.contains("circuit: edges"), log);
    String json = Files.readString(out);
    assertTrue(json.contains("\"wanda-50\"") && json.contains("\"testAccuracy\""), json);
    Files.delete(out);
  }

  @Test
  void badOptionsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImpactStudy.Options(null, 10, 1, 100, new int[] {0}, 10, 10, 1.0, null));
    assertTrue(e.getMessage().contains("sparsity 1.0"), e.getMessage());
  }
}
