package org.prunekit.core.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;

/**
 * The invariant of physical removal, per structural pattern: the smaller graph computes what the
 * original computes when the removed units' producing slices (weight rows, biases, norm
 * parameters, embedding columns, q/k/v rows) are zeroed, so that their activations are exactly 0.
 */
class PhysicalPrunerInvariantTest {
  private static final float TOLERANCE = 1e-5f;

  /** A copy of {@code g} with every OUT slice of the removed units set to 0. */
  static Graph zeroedReference(Graph g, StructuralPlan plan) {
    Graph ref = g.copy();
    for (Map.Entry<PruningGroup, SortedSet<Integer>> e : plan.removals().entrySet()) {
      for (GroupMember m : e.getKey().members()) {
        if (m.direction() != GroupMember.Direction.OUT) {
          continue;
        }
        Tensor t = ref.parameter(m.parameter()).value();
        for (int u : e.getValue()) {
          for (int i : m.indices(u)) {
            zeroSlice(t, m.axis(), i);
          }
        }
      }
    }
    return ref;
  }

  private static void zeroSlice(Tensor t, int axis, int index) {
    Shape s = t.shape();
    int n = s.get(axis);
    int inner = Math.toIntExact(s.sizeFrom(axis + 1));
    int outer = Math.toIntExact(s.size() / s.sizeFrom(axis));
    for (int o = 0; o < outer; o++) {
      java.util.Arrays.fill(t.data(), (o * n + index) * inner, (o * n + index + 1) * inner, 0f);
    }
  }

  static float maxAbsDiff(Tensor a, Tensor b) {
    assertEquals(a.shape(), b.shape());
    float m = 0;
    for (int i = 0; i < a.size(); i++) {
      m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
    }
    return m;
  }

  /** Prunes, checks the invariant to 1e-5, that the removal mattered, and that {@code g} is unchanged. */
  static Graph assertInvariant(Graph g, StructuralPlan plan, Tensor x) {
    Map<String, Tensor> before = PhysicalPrunerTest.snapshot(g);
    Graph pruned = PhysicalPruner.apply(g, plan);
    Graph ref = zeroedReference(g, plan);
    try (GraphExecutor original = GraphExecutor.create(g);
        GraphExecutor zeroed = GraphExecutor.create(ref);
        GraphExecutor smaller = GraphExecutor.create(pruned)) {
      Tensor yOriginal = original.predict(x);
      Tensor yZeroed = zeroed.predict(x);
      Tensor ySmaller = smaller.predict(x);
      float diff = maxAbsDiff(yZeroed, ySmaller);
      assertTrue(diff <= TOLERANCE, "pruned vs zeroed original differ by " + diff + " for " + plan);
      float effect = maxAbsDiff(yOriginal, ySmaller);
      assertTrue(effect > 1e-3f, "removal should change the outputs; it changed them by " + effect);
    }
    PhysicalPrunerTest.assertUnchanged(before, g);
    assertTrue(count(pruned) < count(g));
    return pruned;
  }

  private static long count(Graph g) {
    return g.parameters().stream().mapToLong(p -> p.numel()).sum();
  }

  private static Tensor input(Graph g) {
    return StructureModels.input(g, 3, false, 0);
  }

  @Test
  void convBnReluConv() {
    Graph g = StructureModels.convBnReluConv();
    DependencyGraph d = DependencyGraph.build(g);
    assertInvariant(g, StructuralPlan.builder()
        .remove(d.group("conv1 output channels"), 1, 3)
        .remove(d.group("conv2 output channels"), 0, 4).build(), input(g));
  }

  @Test
  void residualAdd() {
    Graph g = StructureModels.residual();
    DependencyGraph d = DependencyGraph.build(g);
    assertInvariant(g, StructuralPlan.builder()
        .remove(d.group("stem output channels"), 2, 5, 7)
        .remove(d.group("b1 output channels"), 0).build(), input(g));
  }

  @Test
  void concat() {
    Graph g = StructureModels.concat();
    DependencyGraph d = DependencyGraph.build(g);
    assertInvariant(g, StructuralPlan.builder()
        .remove(d.group("a output channels"), 1)
        .remove(d.group("b output channels"), 0, 2)
        .remove(d.group("c output channels"), 3).build(), input(g));
  }

  @Test
  void concatInsideAResidual() {
    Graph g = StructureModels.concatResidual();
    PruningGroup grp = DependencyGraph.build(g).group("a output channels");
    assertInvariant(g, StructuralPlan.builder().remove(grp, 3, 5).build(), input(g));
  }

  @Test
  void depthwiseWithMultiplier() {
    Graph g = StructureModels.depthwise();
    DependencyGraph d = DependencyGraph.build(g);
    assertInvariant(g, StructuralPlan.builder()
        .remove(d.group("pw1 output channels"), 2, 4)
        .remove(d.group("pw2 output channels"), 1).build(), input(g));
  }

  @Test
  void flattenIntoLinear() {
    Graph g = StructureModels.flattenLinear();
    DependencyGraph d = DependencyGraph.build(g);
    assertInvariant(g, StructuralPlan.builder()
        .remove(d.group("conv output channels"), 1)
        .remove(d.group("fc1 output features"), 0, 3).build(), input(g));
  }

  @Test
  void reshapeKeepingChannels() {
    Graph g = StructureModels.reshapeKeepingChannels();
    PruningGroup grp = DependencyGraph.build(g).group("conv output channels");
    assertInvariant(g, StructuralPlan.builder().remove(grp, 0).build(), input(g));
  }

  @Test
  void attentionHeads() {
    Graph g = StructureModels.mha();
    DependencyGraph d = DependencyGraph.build(g);
    Graph p = assertInvariant(g, StructuralPlan.builder()
        .remove(d.group("attn heads"), 0)
        .remove(d.group("proj output features"), 2, 3, 7).build(), input(g));
    assertEquals(1, ((org.prunekit.core.graph.op.Attention) p.node("attn").op()).numHeads());
  }

  @Test
  void gqaKvHeadWithItsQueryGroup() {
    Graph g = StructureModels.gqa();
    DependencyGraph d = DependencyGraph.build(g);
    assertInvariant(g, StructuralPlan.builder()
        .remove(d.group("attn kv heads (each with its 2 query heads)"), 1)
        .remove(d.group("proj output features"), 0).build(), input(g));
  }

  @Test
  void transformerMlp() {
    Graph g = StructureModels.transformerMlp();
    PruningGroup grp = DependencyGraph.build(g).group("fc1 output features");
    assertInvariant(g, StructuralPlan.builder().remove(grp, 1, 4, 5, 11).build(), input(g));
  }

  @Test
  void swiglu() {
    Graph g = StructureModels.swiglu();
    DependencyGraph d = DependencyGraph.build(g);
    assertInvariant(g, StructuralPlan.builder()
        .remove(d.group("gate output features"), 0, 9)
        .remove(d.group("down output features"), 2).build(), input(g));
  }

  @Test
  void hiddenDimensionAcrossEmbeddingAttentionMlpAndResiduals() {
    Graph g = StructureModels.hiddenStream();
    DependencyGraph d = DependencyGraph.build(g);
    assertInvariant(g, StructuralPlan.builder()
        .remove(d.group("emb embedding dims"), 1, 6)
        .remove(d.group("attn heads"), 1)
        .remove(d.group("fc1 output features"), 3, 8, 15).build(), StructureModels.input(g, 2, true, 11));
  }
}
