package org.prunekit.core.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.graph.op.Attention;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.structure.GroupMember;
import org.prunekit.core.structure.PhysicalPruner;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.structure.StructuralPlan;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default small ViT (3x32x32, patch 8: 16 tokens of 192 values; dim 32, depth 2, 4 heads of
 * 8, MLP 64) and its GQA variant (4 query heads sharing 2 kv heads).
 */
class VitZooTest {
  private static final Logger LOG = LoggerFactory.getLogger(VitZooTest.class);
  private static final String HIDDEN = "patch_embed output features";

  private static Graph vit(int kvHeads) {
    return ZooTestSupport.perturbed(ModelZoo.vit(VitConfig.builder().optHeads(4, kvHeads).build()), 3);
  }

  @Test
  void buildsAndRunsOnImages() {
    VitConfig c = VitConfig.builder().build();
    Graph g = vit(4);
    Tensor images = ZooTestSupport.inputs(ModelZoo.resnet(ResNetConfig.builder().build()), 2, 4)[0];
    Tensor y = ZooTestSupport.run(g, ModelZoo.vitInputs(images, c));
    assertEquals(new Shape(2, 10), y.shape());
    assertEquals(new Shape(1, 16, 192), g.inputs().get(0).sampleShape().withBatch(1));
    assertEquals(new Shape(1, 16, 32), g.inferShapes(1).get("blk2_add2"));
    assertEquals(new Shape(1, 512), g.inferShapes(1).get("flatten"));
  }

  @Test
  void patchifyCutsRowMajorPatchesInChannelRowColumnOrder() {
    float[] d = new float[2 * 4 * 4];
    for (int i = 0; i < d.length; i++) {
      d[i] = i;
    }
    Tensor p = ModelZoo.patchify(new Tensor(new Shape(1, 2, 4, 4), d), 2);
    assertEquals(new Shape(1, 4, 8), p.shape());
    // token 0 = rows 0-1, cols 0-1 of channel 0 then channel 1; token 1 = cols 2-3; token 2 = rows 2-3
    assertArrayEquals(new float[] {0, 1, 4, 5, 16, 17, 20, 21}, java.util.Arrays.copyOfRange(p.data(), 0, 8));
    assertArrayEquals(new float[] {2, 3, 6, 7, 18, 19, 22, 23}, java.util.Arrays.copyOfRange(p.data(), 8, 16));
    assertArrayEquals(new float[] {8, 9, 12, 13, 24, 25, 28, 29}, java.util.Arrays.copyOfRange(p.data(), 16, 24));
    assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, ModelZoo.positions(2, 3).data());
    assertThrows(IllegalArgumentException.class, () -> ModelZoo.patchify(new Tensor(new Shape(1, 2, 4, 4), d), 3));
  }

  @Test
  void linearEmbeddingOfPatchesEqualsConvWithKernelEqualToStride() {
    Graph conv = ZooTestSupport.perturbed(GraphBuilder.create(1).input("x", 3, 8, 8).conv2d("c", 5, 4, 4, 0).build(), 4);
    Graph lin = GraphBuilder.create(2).input("p", 4, 48).linear("l", 5).build();
    lin.parameter("l.weight").setValue(conv.parameter("c.weight").value().reshape(new Shape(5, 48)));
    lin.parameter("l.bias").setValue(conv.parameter("c.bias").value().copy());
    Tensor x = ZooTestSupport.inputs(conv, 2, 3)[0];
    Tensor yc = ZooTestSupport.run(conv, x); // [2, 5, 2, 2]
    Tensor yl = ZooTestSupport.run(lin, ModelZoo.patchify(x, 4)); // [2, 4, 5]
    for (int n = 0; n < 2; n++) {
      for (int t = 0; t < 4; t++) {
        for (int o = 0; o < 5; o++) {
          assertEquals(yc.data()[((n * 5 + o) * 2 + t / 2) * 2 + t % 2], yl.data()[(n * 4 + t) * 5 + o], 1e-5f);
        }
      }
    }
  }

  @Test
  void headsMlpNeuronsAndHiddenDimensionAreGroups() {
    Graph g = vit(4);
    DependencyGraph d = DependencyGraph.build(g);
    LOG.info("ViT groups:\n{}", d);
    assertEquals(List.of(HIDDEN + " (32)", "blk1_attn heads (4)", "blk1_fc1 output features (64)",
        "blk2_attn heads (4)", "blk2_fc1 output features (64)"), ZooTestSupport.prunableRoots(d));
    assertEquals(7, d.allGroups().size(), "plus the fixed patch values and the classifier outputs");

    PruningGroup heads = d.group("blk1_attn heads");
    assertEquals(List.of("blk1_attn.q_weight@0 OUT", "blk1_attn.k_weight@0 OUT", "blk1_attn.v_weight@0 OUT",
        "blk1_attn.q_bias@0 OUT", "blk1_attn.k_bias@0 OUT", "blk1_attn.v_bias@0 OUT", "blk1_attn.o_weight@1 IN"),
        ZooTestSupport.memberKeys(heads));
    assertArrayEquals(new int[] {16, 17, 18, 19, 20, 21, 22, 23}, heads.member("blk1_attn.q_weight", 0).indices(2));
    assertArrayEquals(new int[] {24, 25, 26, 27, 28, 29, 30, 31}, heads.member("blk1_attn.o_weight", 1).indices(3));

    List<String> hidden = new ArrayList<>(List.of("patch_embed.weight@0 OUT", "patch_embed.bias@0 OUT",
        "pos_embed.weight@1 OUT"));
    for (String b : List.of("blk1", "blk2")) {
      hidden.addAll(List.of(b + "_ln1.gamma@0 OUT", b + "_ln1.beta@0 OUT", b + "_attn.q_weight@1 IN",
          b + "_attn.k_weight@1 IN", b + "_attn.v_weight@1 IN", b + "_attn.o_weight@0 OUT", b + "_attn.o_bias@0 OUT",
          b + "_ln2.gamma@0 OUT", b + "_ln2.beta@0 OUT", b + "_fc1.weight@1 IN", b + "_fc2.weight@0 OUT",
          b + "_fc2.bias@0 OUT"));
    }
    hidden.addAll(List.of("ln_f.gamma@0 OUT", "ln_f.beta@0 OUT", "head.weight@1 IN"));
    PruningGroup h = d.group(HIDDEN);
    assertEquals(hidden, ZooTestSupport.memberKeys(h));
    // flatten [16 tokens, 32 dims] into the classifier: dimension u is feature t*32 + u of every token t
    GroupMember head = h.member("head.weight", 1);
    int[] expected = new int[16];
    for (int t = 0; t < 16; t++) {
      expected[t] = t * 32 + 5;
    }
    assertArrayEquals(expected, head.indices(5));
    assertEquals(5, h.notes().size(), "one note per LayerNorm (ln1, ln2 of both blocks, ln_f): " + h.notes());
    assertTrue(h.notes().stream().allMatch(n -> n.contains("layernorm")), h.notes().toString());
  }

  @Test
  void gqaKvHeadTakesItsQueryGroup() {
    DependencyGraph d = DependencyGraph.build(vit(2));
    PruningGroup kv = d.group("blk1_attn kv heads (each with its 2 query heads)");
    assertEquals(2, kv.size());
    assertEquals(16, kv.member("blk1_attn.q_weight", 0).indices(1).length);
    assertEquals(16, kv.member("blk1_attn.q_weight", 0).indices(1)[0]);
    assertArrayEquals(new int[] {8, 9, 10, 11, 12, 13, 14, 15}, kv.member("blk1_attn.k_weight", 0).indices(1));
    assertArrayEquals(new int[] {8, 9, 10, 11, 12, 13, 14, 15}, kv.member("blk1_attn.v_bias", 0).indices(1));
    assertEquals(5, d.groups().size());
  }

  @Test
  void halfOfHeadsAndMlpNeuronsRemovedMatchesZeroedOriginal() {
    Graph g = vit(4);
    DependencyGraph d = DependencyGraph.build(g);
    // the hidden dimension passes through LayerNorms (outputs not preserved, see its notes): left out here
    StructuralPlan plan = ZooTestSupport.half(d, grp -> !grp.root().equals(HIDDEN), 13);
    assertEquals(4, plan.removals().size());
    ZooTestSupport.Pruned p = ZooTestSupport.assertInvariant(g, plan, ZooTestSupport.inputs(g, 2, 5));
    assertEquals(2, ((Attention) p.graph().node("blk2_attn").op()).numHeads());
    CostTotals before = ZooTestSupport.cost(g);
    CostTotals after = ZooTestSupport.cost(p.graph());
    // per block: 2 heads of 8 (q/k/v rows 3 x 16 x 32 + 48 biases, o columns 32 x 16) and 32 MLP
    // neurons (fc1 rows 32 x 32 + 32 biases, fc2 columns 32 x 32)
    assertEquals(2 * (2096 + 2080), before.params() - after.params());
    // per block and sample of 16 tokens: projections 16 x 32 x 16 x 4, scores and AV 2 x 2 heads x
    // 16 x 16 x 8, MLP 2 x 16 x 32 x 32
    assertEquals(2 * (32768 + 8192 + 32768), before.macs() - after.macs());
    log("ViT heads+MLP 50%", before, after, p.invariantError());
  }

  @Test
  void gqaHalfOfKvHeadsAndMlpNeuronsRemovedMatchesZeroedOriginal() {
    Graph g = vit(2);
    DependencyGraph d = DependencyGraph.build(g);
    StructuralPlan plan = ZooTestSupport.half(d, grp -> !grp.root().equals(HIDDEN), 17);
    ZooTestSupport.Pruned p = ZooTestSupport.assertInvariant(g, plan, ZooTestSupport.inputs(g, 2, 6));
    Attention a = (Attention) p.graph().node("blk1_attn").op();
    assertEquals(2, a.numHeads());
    assertEquals(1, a.numKvHeads());
    CostTotals before = ZooTestSupport.cost(g);
    CostTotals after = ZooTestSupport.cost(p.graph());
    // per block: q rows 16 x 32 + 16, k and v rows 8 x 32 + 8 each, o columns 32 x 16; MLP as above
    assertEquals(2 * (1568 + 2080), before.params() - after.params());
    assertEquals(2 * (24576 + 8192 + 32768), before.macs() - after.macs());
    log("ViT-GQA kv heads+MLP 50%", before, after, p.invariantError());
  }

  @Test
  void everyGroupHalvedGivesTheHalfWidthVitsCosts() {
    for (int kv : new int[] {4, 2}) {
      Graph g = vit(kv);
      DependencyGraph d = DependencyGraph.build(g);
      assertFalse(d.group(HIDDEN).notes().isEmpty());
      StructuralPlan plan = ZooTestSupport.half(d, grp -> true, 19);
      assertEquals(5, plan.removals().size());
      Graph small = PhysicalPruner.apply(g, plan);
      Tensor y = ZooTestSupport.run(small, ZooTestSupport.inputs(small, 2, 8));
      assertEquals(new Shape(2, 10), y.shape());
      assertEquals(-1, y.firstNonFinite());
      Graph narrow = ModelZoo.vit(VitConfig.builder().optDim(16).optHeads(2, kv / 2).optMlpDim(32).build());
      CostTotals before = ZooTestSupport.cost(g);
      CostTotals after = ZooTestSupport.cost(small);
      assertEquals(ZooTestSupport.cost(narrow).params(), after.params());
      assertEquals(ZooTestSupport.cost(narrow).macs(), after.macs());
      // LayerNorm statistics change, so only the shape-level equivalence is checked here
      log("ViT (kv " + kv + ") all groups 50%", before, after, Float.NaN);
    }
  }

  @Test
  void badConfigurationsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VitConfig.builder().optHeads(4, 3).build());
    assertTrue(e.getMessage().contains("kv heads"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> VitConfig.builder().optPatchSize(5).build());
    assertThrows(IllegalArgumentException.class, () -> VitConfig.builder().optDim(30).build());
  }

  private static void log(String what, CostTotals before, CostTotals after, float err) {
    LOG.info("{}: params {} -> {} ({}), MACs {} -> {} ({}), invariant error {}", what, before.params(),
        after.params(), ResNetZooTest.ratio(after.params(), before.params()), before.macs(), after.macs(),
        ResNetZooTest.ratio(after.macs(), before.macs()), err);
  }
}
