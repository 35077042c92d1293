package org.prunekit.dynamic.probeflow.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;

/** Flow-matching training on DJL lowers the loss; the real KUKA files read as their README says. */
class FlowMatchingTrainerTest {

  @Test
  void trainingLowersTheFlowMatchingLoss() {
    float[][] pos = new float[40][];
    float[][] vel = new float[40][];
    for (int s = 0; s < 40; s++) {
      pos[s] = new float[] {s * 0.01f, 0.5f, -0.2f};
      vel[s] = new float[] {0.1f + 0.005f * s, -0.05f, 0.02f * (s % 4)};
    }
    ActionChunks chunks = ActionChunks.cut(List.of(new DemoTrajectory(0, pos, vel)), 4, 1);
    ChunkNormalizer norm = ChunkNormalizer.fit(chunks);
    Graph g = FlowPolicyHead.newGraph(4, 3, 32, 2, 1);
    float before = g.parameter("fc1.weight").value().data()[0];
    // Few steps: on an oversubscribed machine libtorch's two OpenMP threads make each step slow.
    TrainingReport r = FlowMatchingTrainer.builder().optSteps(60).optBatchSize(32).optLearningRate(3e-3f).build()
        .train(g, chunks, norm);
    assertEquals(60, r.steps());
    assertEquals(0, r.skippedSteps());
    assertTrue(r.finalLoss() < 0.7 * r.firstLoss(), r.toString());
    assertNotEquals(before, g.parameter("fc1.weight").value().data()[0]);
    Graph g2 = FlowPolicyHead.newGraph(4, 3, 32, 2, 1);
    TrainingReport e = FlowMatchingTrainer.builder().optSteps(60).optBatchSize(32).optLearningRate(3e-3f)
        .optParameterization(Parameterization.ENDPOINT).build().train(g2, chunks, norm);
    assertTrue(e.finalLoss() < 0.5 * e.firstLoss(), e.toString());
    Graph wrong = FlowPolicyHead.newGraph(5, 3, 8, 1, 1);
    assertThrows(IllegalArgumentException.class,
        () -> FlowMatchingTrainer.builder().optSteps(1).build().train(wrong, chunks, norm));
    assertThrows(IllegalArgumentException.class, () -> FlowMatchingTrainer.builder().optSteps(0).build());
  }

  @Test
  void realKukaTaskFileMatchesItsReadme() throws IOException {
    Optional<Path> dir = KukaDemos.locate();
    assumeTrue(dir.isPresent(), "shared KUKA demonstrations not present");
    List<DemoTrajectory> demos = KukaDemos.read(dir.get().resolve("3D_viapoint_1.csv"));
    assertEquals(21, demos.size());
    int min = demos.stream().mapToInt(DemoTrajectory::steps).min().orElseThrow();
    int max = demos.stream().mapToInt(DemoTrajectory::steps).max().orElseThrow();
    assertEquals(399, min);
    assertEquals(683, max);
    // Each demo ends at rest at the attractor.
    float[] last = demos.get(0).velocity()[demos.get(0).steps() - 1];
    assertEquals(0f, Math.abs(last[0]) + Math.abs(last[1]) + Math.abs(last[2]), 1e-3f);
  }
}
