package org.prunekit.criteria.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.prunekit.core.graph.Graph;
import org.prunekit.criteria.calibration.CalibrationSet;
import org.prunekit.criteria.calibration.SequentialResult;
import org.prunekit.criteria.pattern.NmPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MNIST CNN table of docs/llm.md: both ONNX models, dense, then magnitude / Wanda / RIA /
 * SparseGPT at 50 % unstructured and 2:4, top-1 accuracy over all 10,000 test images, no
 * fine-tuning. Only with {@code -Dprunekit.mnist.sweep=true}:
 *
 * <pre>
 * mvn -o -B -pl pruning-core,pruning-criteria test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=MnistSweepTest -Dprunekit.mnist.sweep=true
 * </pre>
 *
 * Writes the table to {@code pruning-criteria/target/mnist-sweep.md}.
 */
@EnabledIfSystemProperty(named = "prunekit.mnist.sweep", matches = "true")
class MnistSweepTest {
  private static final Logger LOG = LoggerFactory.getLogger(MnistSweepTest.class);

  @Test
  void sweep() throws IOException {
    assumeTrue(MnistCnns.available(MnistCnns.MNIST8) && MnistCnns.available(MnistCnns.TRIBUO), "shared data absent");
    CalibrationSet cal = MnistCnns.calibration(128, 0);
    int n = MnistCnns.test().size();
    List<String> rows = new ArrayList<>();
    rows.add("| model | method | pattern | pruned layers | masked | top-1 % |");
    rows.add("|---|---|---|---|---|---|");
    double[] dense = new double[2];
    int m = 0;
    for (Path model : new Path[] {MnistCnns.MNIST8, MnistCnns.TRIBUO}) {
      String name = model.getFileName().toString();
      Graph d = MnistCnns.load(model);
      dense[m] = MnistCnns.accuracy(d, n);
      rows.add(String.format("| %s | dense | - | - | 0 | %.2f |", name, dense[m++]));
      List<String> all = MnistCnns.layers(d, 1);
      StringBuilder widths = new StringBuilder();
      for (String l : all) {
        widths.append(l).append(" [").append(d.node(l).param("weight").shape().get(0)).append(", ")
            .append(MnistCnns.width(d, l)).append("] ");
      }
      LOG.info("{}: layers {}", name, widths);
      for (NmPattern nm : new NmPattern[] {null, NmPattern.keep(2, 4)}) {
        List<String> layers = MnistCnns.layers(d, nm == null ? 1 : nm.groupM());
        for (String c : new String[] {"magnitude", "wanda", "ria", "sparsegpt"}) {
          Graph g = MnistCnns.load(model);
          SequentialResult r = MnistCnns.prune(g, layers, c, nm, cal);
          String row = String.format("| %s | %s | %s | %s | %d / %d | %.2f |", name, c,
              nm == null ? "50% unstructured" : "2:4", String.join(", ", layers), r.report().maskedZeros(),
              r.report().numel(), MnistCnns.accuracy(g, n));
          rows.add(row);
          LOG.info(row);
        }
      }
    }
    rows.add("");
    rows.add("calibration: " + cal.description() + ", sha256 " + cal.sha256());
    Path out = Path.of("target", "mnist-sweep.md");
    Files.createDirectories(out.getParent());
    Files.write(out, rows);
    rows.forEach(LOG::info);
    assertEquals(98.91, dense[0], 0.05);
    assertEquals(99.04, dense[1], 0.05);
  }
}
