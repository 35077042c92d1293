package org.prunekit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Checks that the JMH annotation processor ran during compilation: without it the benchmark jar
 * has no {@code META-INF/BenchmarkList} and {@code java -jar benchmarks.jar} finds nothing to run.
 */
class BenchmarkListTest {

  @Test
  void everyBenchmarkMethodIsListed() throws IOException {
    Set<String> listed = new TreeSet<>();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
      assertNotNull(in, "META-INF/BenchmarkList is missing: the JMH annotation processor did not run");
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        // Line format: "JMH S <len> <class> S <len> <generated class> S <len> <method> ...".
        String[] f = line.trim().split(" ");
        if (f.length > 9 && f[0].equals("JMH")) {
          listed.add(f[3].substring(f[3].lastIndexOf('.') + 1) + "." + f[9]);
        }
      }
    }
    assertEquals(new TreeSet<>(List.of(
        "AgfRoutingBenchmark.run",
        "DanceBenchmark.forward",
        "MaskSelectionBenchmark.baselineStreamingPass",
        "MaskSelectionBenchmark.magnitudeMask",
        "MaskSelectionBenchmark.scoreOnly",
        "MaskSelectionBenchmark.selectOnly",
        "MaskSelectionBenchmark.wandaMask",
        "MaskSelectionBenchmark.wandaMaskBytes",
        "MaskSelectionBenchmark.wandaMaskUnfused",
        "MaskedForwardBenchmark.forward",
        "NmLinearBenchmark.csr",
        "NmLinearBenchmark.djlDense",
        "NmLinearBenchmark.nm",
        "ProbeFlowBenchmark.euler50",
        "ProbeFlowBenchmark.probeflow",
        "SparseLinearBenchmark.djlDense",
        "SparseLinearBenchmark.nd4jDense",
        "SparseLinearBenchmark.sparse",
        "StructuredSpeedupBenchmark.forward",
        "TokenPruningBenchmark.dense",
        "TokenPruningBenchmark.pruned")), listed);
  }
}
