package org.prunekit.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's {@code sparse} engine: runs Linear-only models, refuses others naming the node. */
class SparseEngineTest {
  @Test
  void sweepsTheMlpOnSparseAndDenseEngines() throws Exception {
    SweepResult r = Harness.run(SweepSpec.builder().setModels(List.of("mlp"))
        .optUnstructured(List.of("magnitude"), List.of(0.9)).optEngines(List.of("djl", "sparse"))
        .optBatchSizes(List.of(1)).optRuns(1, 3).optWarmupMillis(0).build(), SweepProgress.none());
    assertEquals(2, r.rows().size(), "dense + magnitude 0.9");
    for (SweepRow row : r.rows()) {
      assertEquals(List.of("djl", "sparse"), row.latency().stream().map(LatencyResult::engine).toList());
      assertTrue(row.latency().get(1).medianMs() > 0);
    }
    // the magnitude row really is 90 % sparse in the weights the sparse engine compresses
    assertEquals(0.9, r.rows().get(1).achievedSparsity(), 0.01);
    assertTrue(r.environment().versions().get("engine sparse").startsWith("PruneKit sparse kernels"),
        r.environment().versions().toString());
  }

  @Test
  void refusesConvolutionalModelNamingTheNode() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SparseEngine().open(ModelSource.load("demo-cnn", 1).graph(), 1));
    assertTrue(e.getMessage().startsWith("engine 'sparse' cannot run this model: node 'conv1'"), e.getMessage());
  }
}
