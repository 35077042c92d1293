package org.prunekit.analysis.impact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.ModelZoo;
import org.prunekit.core.zoo.VitConfig;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.Targets;

class CircuitEdgesTest {
  static Graph tinyVit(int heads, int kvHeads) {
    return ModelZoo.vit(VitConfig.builder().optInput(1, 4).optPatchSize(2).optDim(4).optDepth(1)
        .optHeads(heads, kvHeads).optMlpDim(3).optClasses(2).build());
  }

  private static void ones(Graph g) {
    for (Parameter p : g.parameters()) {
      p.setValue(Tensor.full(p.shape(), 1f));
    }
  }

  @Test
  void discoversHeadsAndNeurons() {
    CircuitNodes n = CircuitNodes.discover(tinyVit(2, 2));
    assertEquals(List.of(new CircuitNodes.AttentionSite("blk1_attn", 2, 2, 2)), n.attention());
    assertEquals(List.of(new CircuitNodes.MlpSite("blk1_fc1", "blk1_gelu", "blk1_fc2", 3)), n.mlps());
    assertEquals(5, n.nodeCount());
  }

  @Test
  void handCountedEdges() {
    Graph g = tinyVit(2, 2);
    ones(g);
    // q_weight [4, 4]: zero (0, 0), inside head 0's rows
    Parameter q = g.parameter("blk1_attn.q_weight");
    float[] qv = q.value().data().clone();
    qv[0] = 0f;
    q.setValue(new Tensor(q.shape(), qv));
    // fc2.weight [4, 3]: masked at (1, 0) (active neuron 0) and (3, 1) (inactive neuron 1)
    Parameter fc2 = g.parameter("blk1_fc2.weight");
    float[] m = new float[12];
    java.util.Arrays.fill(m, 1f);
    m[1 * 3 + 0] = 0f;
    m[3 * 3 + 1] = 0f;
    fc2.setMask(new Tensor(fc2.shape(), m));
    CircuitNodes nodes = CircuitNodes.discover(g);
    NodeMask mask = new NodeMask(List.of(new boolean[] {true, false}), List.of(new boolean[] {true, false, true}));
    // q rows 0-1: 8 - 1; o cols 0-1: 4 x 2; k, v rows 0-1: 8 + 8; fc1 rows 0, 2: 2 x 4; fc2 cols 0, 2: 8 - 1
    assertEquals(7 + 8 + 8 + 8 + 8 + 7, CircuitEdges.count(g, nodes, mask));
    // all active: q 15, k 16, v 16, o 16, fc1 12, fc2 12 - 2
    assertEquals(15 + 16 + 16 + 16 + 12 + 10, CircuitEdges.count(g, nodes, nodes.allActive()));
    assertEquals(3.0 / 5, mask.activeFraction(), 1e-12);
  }

  @Test
  void groupedQueryHeadsShareKvRows() {
    Graph g = tinyVit(2, 1); // k, v: [2, 4], one kv head
    ones(g);
    CircuitNodes nodes = CircuitNodes.discover(g);
    NodeMask onlyHead1 = new NodeMask(List.of(new boolean[] {false, true}), List.of(new boolean[3]));
    // q rows 2-3: 8; o cols 2-3: 8; kv head 0: k 8 + v 8
    assertEquals(32, CircuitEdges.count(g, nodes, onlyHead1));
    NodeMask none = new NodeMask(List.of(new boolean[2]), List.of(new boolean[3]));
    assertEquals(0, CircuitEdges.count(g, nodes, none));
  }

  /** Spec test (1): 50 % per-row sparsity, same node mask: edges halve, active fraction equal. */
  @Test
  void halfSparseModelHasHalfTheEdges() {
    VitConfig c = VitConfig.builder().optInput(1, 8).optPatchSize(4).optDim(8).optDepth(2).optHeads(2, 2)
        .optMlpDim(16).optClasses(3).build();
    Graph dense = ModelZoo.vit(c);
    Graph sparse = dense.copy();
    Pruning.prune(sparse, PruningSpec.builder().setCriterion("magnitude").setSparsity(0.5).optScope(Scope.ROW)
        .optTargets(Targets.only("blk1_attn", "blk1_fc1", "blk1_fc2", "blk2_attn", "blk2_fc1", "blk2_fc2")).build());
    CircuitNodes nodes = CircuitNodes.discover(dense);
    NodeMask all = nodes.allActive();
    long d = CircuitEdges.count(dense, nodes, all);
    long s = CircuitEdges.count(sparse, nodes, all);
    assertEquals(2 * (4 * 8 * 8 + 2 * 8 * 16), d);
    assertEquals(d / 2, s);
    boolean[] alternate = new boolean[16];
    for (int i = 0; i < 16; i += 2) {
      alternate[i] = true;
    }
    NodeMask part = new NodeMask(List.of(new boolean[] {true, false}, new boolean[] {false, true}),
        List.of(alternate, alternate));
    double ratio = (double) CircuitEdges.count(sparse, nodes, part) / CircuitEdges.count(dense, nodes, part);
    assertTrue(Math.abs(ratio - 0.5) < 0.1, "ratio " + ratio);
    assertEquals(part.activeFraction(), part.activeFraction());
    assertEquals((1 + 1 + 8 + 8) / 36.0, part.activeFraction(), 1e-12);
  }

  @Test
  void maskOfWrongSizeIsRejected() {
    Graph g = tinyVit(2, 2);
    CircuitNodes nodes = CircuitNodes.discover(g);
    NodeMask bad = new NodeMask(List.of(new boolean[3]), List.of(new boolean[3]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CircuitEdges.count(g, nodes, bad));
    assertTrue(e.getMessage().contains("blk1_attn"), e.getMessage());
  }
}
