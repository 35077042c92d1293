package org.prunekit.core.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.graph.op.BatchNorm;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Embedding;
import org.prunekit.core.graph.op.LayerNorm;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.graph.op.Reshape;
import org.prunekit.core.graph.op.RmsNorm;
import org.prunekit.core.tensor.Tensor;

/** Physical removal: smaller ops and tensors, sliced values and masks, bad plans refused. */
class PhysicalPrunerTest {

  static Map<String, Tensor> snapshot(Graph g) {
    Map<String, Tensor> s = new LinkedHashMap<>();
    for (Parameter p : g.parameters()) {
      s.put(p.qualifiedName(), p.value().copy());
      if (p.hasMask()) {
        s.put(p.qualifiedName() + "#mask", p.mask().copy());
      }
    }
    return s;
  }

  static void assertUnchanged(Map<String, Tensor> before, Graph g) {
    Map<String, Tensor> now = snapshot(g);
    assertEquals(before.keySet(), now.keySet());
    for (String k : before.keySet()) {
      assertTrue(before.get(k).bitEquals(now.get(k)), k + " changed");
    }
  }

  private static float at(Graph g, String param, int... ix) {
    Parameter p = g.parameter(param);
    int flat = 0;
    for (int i = 0; i < ix.length; i++) {
      flat = flat * p.shape().get(i) + ix[i];
    }
    return p.value().data()[flat];
  }

  @Test
  void convBnReluConvLosesChannelsEverywhere() {
    Graph g = StructureModels.convBnReluConv();
    Map<String, Tensor> before = snapshot(g);
    PruningGroup grp = DependencyGraph.build(g).group("conv1 output channels");
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().remove(grp, 3, 1).build());

    Conv conv1 = (Conv) p.node("conv1").op();
    assertEquals(2, conv1.outChannels());
    assertEquals(3, conv1.inChannels());
    assertEquals(new BatchNorm(2, 1e-5f, 0.1f), p.node("bn1").op());
    assertEquals(2, ((Conv) p.node("conv2").op()).inChannels());
    assertEquals(new Shape(6, 2, 3, 3), p.parameter("conv2.weight").shape());
    // kept channels 0 and 2, in order
    assertEquals(at(g, "conv1.weight", 2, 1, 0, 2), at(p, "conv1.weight", 1, 1, 0, 2));
    assertEquals(at(g, "conv1.bias", 2), at(p, "conv1.bias", 1));
    assertEquals(at(g, "bn1.running_var", 0), at(p, "bn1.running_var", 0));
    assertEquals(at(g, "bn1.beta", 2), at(p, "bn1.beta", 1));
    assertEquals(at(g, "conv2.weight", 5, 2, 2, 1), at(p, "conv2.weight", 5, 1, 2, 1));
    assertEquals(at(g, "conv2.weight", 4, 0, 0, 0), at(p, "conv2.weight", 4, 0, 0, 0));
    assertEquals(g.parameter("fc.weight").shape(), p.parameter("fc.weight").shape());
    assertUnchanged(before, g);
    assertEquals(new Shape(4, 3, 3, 3), g.parameter("conv1.weight").shape());
  }

  @Test
  void masksAreSlicedWithTheirValues() {
    Graph g = StructureModels.convBnReluConv();
    float[] m = new float[6 * 4 * 9];
    for (int i = 0; i < m.length; i++) {
      m[i] = i % 3 == 0 ? 0f : 1f;
    }
    g.parameter("conv2.weight").setMask(Tensor.of(m, 6, 4, 3, 3));
    PruningGroup grp = DependencyGraph.build(g).group("conv1 output channels");
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().remove(grp, 0).build());
    Tensor pm = p.parameter("conv2.weight").mask();
    assertEquals(new Shape(6, 3, 3, 3), pm.shape());
    // pruned [o][i][k] = original [o][i+1][k]: flat (o*4 + i + 1)*9 + k
    for (int o = 0; o < 6; o++) {
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 9; k++) {
          assertEquals(m[(o * 4 + i + 1) * 9 + k], pm.data()[(o * 3 + i) * 9 + k]);
        }
      }
    }
    assertEquals(new Shape(6, 4, 3, 3), g.parameter("conv2.weight").mask().shape());
    assertFalse(p.parameter("conv1.weight").hasMask());
  }

  @Test
  void depthwiseShrinksItsGroupsWithItsInput() {
    Graph g = StructureModels.depthwise();
    PruningGroup grp = DependencyGraph.build(g).group("pw1 output channels");
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().remove(grp, 2).build());
    Conv dw = (Conv) p.node("dw").op();
    assertEquals(5, dw.inChannels());
    assertEquals(10, dw.outChannels());
    assertEquals(5, dw.groups());
    assertEquals(new Shape(10, 1, 3, 3), p.parameter("dw.weight").shape());
    // dw output channels 4, 5 (from input channel 2) are gone: new 4 = old 6
    assertEquals(at(g, "dw.weight", 6, 0, 1, 1), at(p, "dw.weight", 4, 0, 1, 1));
    assertEquals(at(g, "pw2.weight", 3, 7, 0, 0), at(p, "pw2.weight", 3, 5, 0, 0));
  }

  @Test
  void gqaKvHeadRemovalShrinksHeadsAndKvHeads() {
    Graph g = StructureModels.gqa();
    PruningGroup grp = DependencyGraph.build(g).group("attn kv heads (each with its 2 query heads)");
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().remove(grp, 0).build());
    assertEquals(new Attention(8, 2, 1, 2, true, 10000f, false), p.node("attn").op());
    assertEquals(at(g, "attn.q_weight", 4, 3), at(p, "attn.q_weight", 0, 3));
    assertEquals(at(g, "attn.k_weight", 3, 7), at(p, "attn.k_weight", 1, 7));
    assertEquals(at(g, "attn.o_weight", 6, 5), at(p, "attn.o_weight", 6, 1));
    assertEquals(new Shape(8, 4), p.parameter("attn.o_weight").shape());
  }

  @Test
  void reshapeTargetsFollowTheChannels() {
    Graph g = StructureModels.reshapeKeepingChannels();
    PruningGroup grp = DependencyGraph.build(g).group("conv output channels");
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().remove(grp, 1).build());
    assertEquals(new Reshape(new int[] {2, 16}), p.node("rows").op());
    assertEquals(new Reshape(new int[] {32}), p.node("flat").op());
    assertEquals(new Linear(32, 2, true), p.node("fc").op());
    assertEquals(at(g, "fc.weight", 1, 37), at(p, "fc.weight", 1, 21));
  }

  @Test
  void hiddenDimensionShrinksEmbeddingNormsAttentionAndMlp() {
    Graph g = StructureModels.hiddenWithNorms();
    PruningGroup grp = DependencyGraph.build(g).group("emb embedding dims");
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().remove(grp, 0, 5).build());
    assertEquals(new Embedding(11, 6), p.node("emb").op());
    assertEquals(new LayerNorm(6, 1e-5f, true), p.node("ln1").op());
    assertEquals(new Attention(6, 2, 2, 4, true, 0f, false), p.node("attn").op());
    assertEquals(new RmsNorm(6, 1e-5f), p.node("rms2").op());
    assertEquals(new Linear(6, 16, true), p.node("fc1").op());
    assertEquals(new Linear(16, 6, true), p.node("fc2").op());
    assertEquals(new Linear(6, 11, true), p.node("head").op());
    assertEquals(at(g, "emb.weight", 7, 6), at(p, "emb.weight", 7, 4));
  }

  @Test
  void emptyPlanGivesAnEqualCopy() {
    Graph g = StructureModels.mha();
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().build());
    assertNotSame(g, p);
    assertEquals(g.summary(), p.summary());
    assertNotSame(g.parameter("fc.weight").value(), p.parameter("fc.weight").value());
  }

  @Test
  void removingEveryUnitOfAGroupIsRefusedNamingIt() {
    PruningGroup grp = DependencyGraph.build(StructureModels.mha()).group("attn heads");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StructuralPlan.builder().remove(grp, 0).remove(grp, 1).build());
    assertEquals("plan removes all 2 units of group 'attn heads'; at least one must stay", e.getMessage());
  }

  @Test
  void unitOutOfRangeIsRefused() {
    PruningGroup grp = DependencyGraph.build(StructureModels.mha()).group("attn heads");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StructuralPlan.builder().remove(grp, 2).build());
    assertEquals("group 'attn heads' has units 0..1, plan removes 2", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StructuralPlan.builder().remove(grp, -1).build());
  }

  @Test
  void groupFromAnotherGraphIsRefusedAndGraphUnchanged() {
    Graph g = StructureModels.convBnReluConv();
    Graph twin = StructureModels.convBnReluConv();
    Map<String, Tensor> before = snapshot(g);
    PruningGroup foreign = DependencyGraph.build(twin).group("conv1 output channels");
    StructuralPlan plan = StructuralPlan.builder().remove(foreign, 0).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhysicalPruner.apply(g, plan));
    assertTrue(e.getMessage().startsWith("group 'conv1 output channels' (#1) was built from another graph"),
        e.getMessage());
    assertUnchanged(before, g);
  }

  @Test
  void emptyingALayerIsRefusedNamingItAndGraphUnchanged() {
    Graph g = StructureModels.concatResidual();
    Map<String, Tensor> before = snapshot(g);
    PruningGroup grp = DependencyGraph.build(g).group("a output channels");
    StructuralPlan plan = StructuralPlan.builder().remove(grp, 0, 1, 2, 3).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhysicalPruner.apply(g, plan));
    assertEquals("plan would remove all 4 entries along axis 0 of 'a.weight', emptying layer 'a'", e.getMessage());
    assertUnchanged(before, g);
    // a partial removal over both branches works: units 3 (in a) and 5 (in b)
    Graph p = PhysicalPruner.apply(g, StructuralPlan.builder().remove(grp, 3, 5).build());
    assertEquals(3, ((Conv) p.node("a").op()).outChannels());
    assertEquals(2, ((Conv) p.node("b").op()).outChannels());
    assertEquals(5, ((Conv) p.node("d").op()).outChannels());
    assertEquals(at(g, "b.bias", 2), at(p, "b.bias", 1));
  }

  @Test
  void unprunableGroupIsRefusedWithItsReasons() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.ambiguousReshape());
    PruningGroup grp = deps.group("conv output channels");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StructuralPlan.builder().remove(grp, 0).build());
    assertTrue(e.getMessage().startsWith("group 'conv output channels' cannot be pruned: ['split': ambiguous reshape"),
        e.getMessage());
    PruningGroup grouped = DependencyGraph.build(StructureModels.grouped()).group("pw1 output channels");
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> StructuralPlan.builder().remove(grouped, 1).build());
    assertTrue(e2.getMessage().contains("'g': grouped convolution with 2 groups"), e2.getMessage());
    assertEquals(List.of(), deps.groups());
  }
}
