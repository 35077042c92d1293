package org.prunekit.dynamic.probeflow.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunekit.core.graph.Graph;
import org.prunekit.dynamic.probeflow.EulerSolver;
import org.prunekit.dynamic.probeflow.ProbeFlowSolver;
import org.prunekit.dynamic.probeflow.SolveResult;

/** The policy head on DJL matches a hand-written MLP; the CSV reader, chunks and normaliser. */
class FlowPolicyHeadTest {
  private static final ChunkNormalizer NORM = new ChunkNormalizer(new float[] {-1, -2, 0}, new float[] {1, 2, 4},
      new float[] {0.5f, 0f, -0.5f}, new float[] {2f, 1f, 0.5f});

  @Test
  void headEvaluatesTheMlpOnDjl() {
    int h = 2;
    Graph g = FlowPolicyHead.newGraph(h, 3, 5, 1, 3);
    float[][] x = {{0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f}, {1f, 0f, -1f, 0.5f, 0.25f, 0f}};
    float[][] pos = {{0.5f, 1f, 0f}, {1.5f, -1f, -0.5f}};
    try (FlowPolicyHead head = FlowPolicyHead.create(g, h, NORM)) {
      assertEquals(6, head.dimension());
      float[][] v = head.velocity(x, 0.25f, pos);
      for (int b = 0; b < 2; b++) {
        float[] in = new float[10];
        System.arraycopy(x[b], 0, in, 0, 6);
        in[6] = 0.25f;
        System.arraycopy(NORM.normalizeCondition(pos[b]), 0, in, 7, 3);
        float[] hid = silu(dense(g, "fc1", in));
        assertArrayEquals(dense(g, "out", hid), v[b], 1e-5f);
      }
      // MACs: 10*5 + 5*6 per sample.
      assertEquals(2 * 80, head.macsPerEvaluation(2));
      assertTrue(head.bytesPerEvaluation(2) > head.bytesPerEvaluation(1));
      SolveResult r = EulerSolver.of(3).solve(head, x, pos);
      assertEquals(3 * 2 * 80, r.cost().macs());
      assertThrows(IllegalArgumentException.class, () -> head.velocity(x, 0f, null));
    }
    assertThrows(IllegalArgumentException.class, () -> FlowPolicyHead.create(g, 3, NORM));
    // ENDPOINT: the same network output read as x1-hat gives v = (x1hat - x) / (1 - t).
    try (FlowPolicyHead vel = FlowPolicyHead.create(g, h, NORM);
        FlowPolicyHead end = FlowPolicyHead.create(g, h, NORM, Parameterization.ENDPOINT)) {
      float[][] out = vel.velocity(x, 0.75f, pos);
      float[][] v = end.velocity(x, 0.75f, pos);
      for (int i = 0; i < 6; i++) {
        assertEquals((out[1][i] - x[1][i]) / 0.25f, v[1][i], 1e-4f);
      }
      float[][] atOne = end.velocity(x, 1f, pos);
      assertEquals((vel.velocity(x, 1f, pos)[0][0] - x[0][0]) / Parameterization.MIN_REMAINING_TIME, atOne[0][0], 1e-2f);
    }
  }

  @Test
  void normaliserRoundTripsAndMapsTheRangeToPlusMinusOne() {
    float[] a = {-1, -2, 0, 1, 2, 4, 0, 0, 2};
    float[] z = NORM.normalizeAction(a);
    assertArrayEquals(new float[] {-1, -1, -1, 1, 1, 1, 0, 0, 0}, z, 1e-6f);
    assertArrayEquals(a, NORM.denormalizeAction(z), 1e-6f);
    assertArrayEquals(new float[] {2, 4, 4}, NORM.actionRange());
    assertArrayEquals(new float[] {0.25f, 1f, 1f}, NORM.normalizeCondition(new float[] {1f, 1f, 0f}), 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> NORM.normalizeCondition(new float[6]));
  }

  @Test
  void readsDemosAndCutsZeroPaddedChunks(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("t.csv");
    Files.writeString(csv, KukaDemos.HEADER + "\n"
        + "0,0,1,2,3,0.1,0.2,0.3\n0,1,1.1,2.1,3.1,0.4,0.5,0.6\n"
        + "1,0,5,5,5,1,1,1\n");
    List<DemoTrajectory> demos = KukaDemos.read(csv);
    assertEquals(2, demos.size());
    assertEquals(2, demos.get(0).steps());
    ActionChunks c = ActionChunks.cut(demos, 3, 1);
    assertEquals(3, c.size());
    assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0, 0, 0}, c.actions()[0]);
    assertArrayEquals(new float[] {0.4f, 0.5f, 0.6f, 0, 0, 0, 0, 0, 0}, c.actions()[1]);
    assertArrayEquals(new float[] {5, 5, 5}, c.conditions()[2]);
    assertEquals(1, c.demoIds()[2]);
    ActionChunks pv = ActionChunks.cut(demos, 3, 2, ActionChunks.Condition.POSITION_VELOCITY);
    assertEquals(2, pv.size());
    assertArrayEquals(new float[] {1, 2, 3, 0.1f, 0.2f, 0.3f}, pv.conditions()[0]);
    assertEquals(6, ChunkNormalizer.fit(pv).conditionDim());
    ChunkNormalizer n = ChunkNormalizer.fit(c);
    assertArrayEquals(new float[] {0, 0, 0}, n.actionMin());
    assertArrayEquals(new float[] {1, 1, 1}, n.actionMax());

    Files.writeString(csv, KukaDemos.HEADER + "\n0,1,1,2,3,0.1,0.2,0.3\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KukaDemos.read(csv));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("step 1"), e.getMessage());
    Files.writeString(csv, "a,b\n");
    assertThrows(IllegalArgumentException.class, () -> KukaDemos.read(csv));
  }

  @Test
  void probeFlowRunsOnTheHead() {
    Graph g = FlowPolicyHead.newGraph(4, 3, 16, 2, 5);
    try (FlowPolicyHead head = FlowPolicyHead.create(g, 4, NORM)) {
      float[][] x0 = new float[3][12];
      float[][] pos = {{0, 0, 0}, {1, 1, 1}, {-1, 0, 1}};
      SolveResult r = ProbeFlowSolver.withDefaults().solve(head, x0, pos);
      assertEquals(r.steps() == 2 ? 2 : r.steps() + 1, r.networkEvaluations());
      assertEquals(r.networkEvaluations() * head.macsPerEvaluation(3), r.cost().macs());
      assertTrue(r.sim() <= 1.0 + 1e-9);
    }
  }

  private static float[] dense(Graph g, String layer, float[] in) {
    float[] w = g.parameter(layer + ".weight").value().data();
    float[] bias = g.parameter(layer + ".bias").value().data();
    float[] out = new float[bias.length];
    for (int o = 0; o < out.length; o++) {
      double s = bias[o];
      for (int i = 0; i < in.length; i++) {
        s += (double) w[o * in.length + i] * in[i];
      }
      out[o] = (float) s;
    }
    return out;
  }

  private static float[] silu(float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) (x[i] / (1 + Math.exp(-x[i])));
    }
    return y;
  }
}
