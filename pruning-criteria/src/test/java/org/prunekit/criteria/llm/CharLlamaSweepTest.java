package org.prunekit.criteria.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.prunekit.core.data.TokenWindows;
import org.prunekit.core.graph.Graph;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.calibration.CalibrationMode;
import org.prunekit.criteria.calibration.CalibrationSet;
import org.prunekit.criteria.calibration.SequentialResult;
import org.prunekit.criteria.pattern.NmPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full table of docs/llm.md: dense, then magnitude / Wanda / RIA / SparseGPT at 50 % unstructured
 * and 2:4, sequential and dense calibration (SparseGPT sequential only) (128 training windows, seed 0), validation NLL over all 871
 * windows. Several minutes, so only with {@code -Dprunekit.llm.sweep=true}:
 *
 * <pre>
 * mvn -o -B -pl pruning-core,pruning-criteria test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=CharLlamaSweepTest -Dprunekit.llm.sweep=true
 * </pre>
 *
 * Writes the table to {@code pruning-criteria/target/llm-sweep.md} and the log.
 */
@EnabledIfSystemProperty(named = "prunekit.llm.sweep", matches = "true")
class CharLlamaSweepTest {
  private static final Logger LOG = LoggerFactory.getLogger(CharLlamaSweepTest.class);

  @Test
  void sweep() throws IOException {
    assumeTrue(CharLlama.available(), "shared data absent");
    TokenWindows val = CharLlama.validation();
    CalibrationSet cal = CharLlama.calibration(128, 0);
    List<String> rows = new ArrayList<>();
    rows.add("| method | pattern | calibration | validation NLL (nats/char) | masked | seconds |");
    rows.add("|---|---|---|---|---|---|");
    long t0 = System.nanoTime();
    double dense = CharLlama.nll(CharLlama.model(), val);
    rows.add(String.format("| dense | - | - | %.4f | 0 | %.0f |", dense, (System.nanoTime() - t0) / 1e9));
    LOG.info("dense {}", dense);
    LOG.info("calibration {}", cal);
    double mag50 = Double.NaN;
    for (NmPattern nm : new NmPattern[] {null, NmPattern.keep(2, 4)}) {
      for (String c : new String[] {"magnitude", "wanda", "ria", "sparsegpt"}) {
        CalibrationMode[] modes = c.equals("magnitude") || c.equals("sparsegpt")
            ? new CalibrationMode[] {CalibrationMode.SEQUENTIAL}
            : new CalibrationMode[] {CalibrationMode.SEQUENTIAL, CalibrationMode.DENSE};
        for (CalibrationMode mode : modes) {
          long t = System.nanoTime();
          Graph g = CharLlama.model();
          SequentialResult r = CharLlama.prune(g, c, nm, mode, c.equals("magnitude") ? null : cal);
          double nll = CharLlama.nll(g, val);
          String row = String.format("| %s | %s | %s | %.4f | %d / %d | %.0f |", c, nm == null ? "50% unstructured"
              : "2:4", c.equals("magnitude") ? "none" : mode.name().toLowerCase(), nll, r.report().maskedZeros(),
              r.report().numel(), (System.nanoTime() - t) / 1e9);
          rows.add(row);
          LOG.info(row);
          if (nm == null && c.equals("magnitude")) {
            mag50 = nll;
          }
        }
      }
    }
    rows.add("");
    rows.add("calibration: " + cal.description() + ", sha256 " + cal.sha256());
    Path out = Path.of("target", "llm-sweep.md");
    Files.createDirectories(out.getParent());
    Files.write(out, rows);
    rows.forEach(LOG::info);
    assertEquals(1.5934, dense, 1e-3);
    assertEquals(1.906, mag50, 0.01);
  }

  /**
   * Only the SparseGPT rows of {@link #sweep} (sequential, 128 windows seed 0, 50 % and 2:4), with
   * magnitude at 2:4 as a same-run reference. Writes {@code target/llm-sparsegpt.md}.
   */
  @Test
  void sparseGpt() throws IOException {
    sequentialRows("llm-sparsegpt.md", new String[] {"sparsegpt"}, new NmPattern[] {null, NmPattern.keep(2, 4)});
  }

  /**
   * RIA at 2:4 without and with its channel reallocation (reference, keep-better, LSA; sequential,
   * 128 windows seed 0), through the same pruner. Writes {@code target/llm-ria-reallocation.md}.
   */
  @Test
  void riaReallocation() throws IOException {
    sequentialRows("llm-ria-reallocation.md", new String[] {"ria", LlmPruning.REALLOCATION,
        LlmPruning.REALLOCATION_KEEP_BETTER, LlmPruning.REALLOCATION_LSA}, new NmPattern[] {NmPattern.keep(2, 4)});
  }

  /**
   * One table row per method and pattern (null = 50 % unstructured), sequential calibration on 128
   * windows (seed 0), written to {@code target/FILE}; every row must mask exactly half.
   */
  private static void sequentialRows(String file, String[] methods, NmPattern[] patterns) throws IOException {
    assumeTrue(CharLlama.available(), "shared data absent");
    TokenWindows val = CharLlama.validation();
    CalibrationSet cal = CharLlama.calibration(128, 0);
    List<String> rows = new ArrayList<>();
    rows.add("| method | pattern | calibration | validation NLL (nats/char) | masked | seconds |");
    rows.add("|---|---|---|---|---|---|");
    for (NmPattern nm : patterns) {
      for (String c : methods) {
        long t = System.nanoTime();
        Graph g = CharLlama.model();
        SequentialResult r = CharLlama.prune(g, c, nm, CalibrationMode.SEQUENTIAL, cal);
        double nll = CharLlama.nll(g, val);
        String row = String.format("| %s | %s | sequential | %.4f | %d / %d | %.0f |", c,
            nm == null ? "50% unstructured" : "2:4", nll, r.report().maskedZeros(), r.report().numel(),
            (System.nanoTime() - t) / 1e9);
        rows.add(row);
        LOG.info(row);
        assertEquals(106_496, r.report().maskedZeros());
      }
    }
    rows.add("");
    rows.add("calibration: " + cal.description() + ", sha256 " + cal.sha256());
    Path out = Path.of("target", file);
    Files.createDirectories(out.getParent());
    Files.write(out, rows);
  }

  /**
   * Scope ablation at 50 % unstructured (sequential calibration, 128 windows, seed 0): each
   * criterion in both scopes, to separate "activation weighting" from "per-row vs per-tensor
   * selection". Writes {@code target/llm-ablation.md}.
   */
  @Test
  void scopeAblation() throws IOException {
    assumeTrue(CharLlama.available(), "shared data absent");
    TokenWindows val = CharLlama.validation();
    CalibrationSet cal = CharLlama.calibration(128, 0);
    List<String> rows = new ArrayList<>();
    rows.add("| method | scope | validation NLL (nats/char) |");
    rows.add("|---|---|---|");
    for (String c : new String[] {"magnitude", "wanda", "ria"}) {
      for (Scope s : new Scope[] {Scope.LAYER, Scope.ROW}) {
        Graph g = CharLlama.model();
        CharLlama.prune(g, c, null, CalibrationMode.SEQUENTIAL, c.equals("magnitude") ? null : cal, s);
        String row = String.format("| %s | %s | %.4f |", c, s, CharLlama.nll(g, val));
        rows.add(row);
        LOG.info(row);
      }
    }
    Path out = Path.of("target", "llm-ablation.md");
    Files.createDirectories(out.getParent());
    Files.write(out, rows);
  }
}
