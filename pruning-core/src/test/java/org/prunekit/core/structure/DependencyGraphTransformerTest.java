package org.prunekit.core.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prunekit.core.structure.GroupAsserts.assertMembers;
import static org.prunekit.core.structure.GroupAsserts.blocks;
import static org.prunekit.core.structure.GroupAsserts.identity;
import static org.prunekit.core.structure.GroupMember.Direction.IN;
import static org.prunekit.core.structure.GroupMember.Direction.OUT;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Activation;

/** Coupled groups of transformer patterns: heads, GQA, MLP, SwiGLU, hidden dimension. */
class DependencyGraphTransformerTest {

  @Test
  void mhaHeadTakesItsQkvRowsBiasesAndOColumns() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.mha());
    PruningGroup g = deps.group("attn heads");
    assertEquals(2, g.size());
    int[][] head = blocks(2, 4, 0); // head h: rows / columns 4h .. 4h+3
    assertMembers(g,
        "attn.q_weight", 0, OUT, head,
        "attn.k_weight", 0, OUT, head,
        "attn.v_weight", 0, OUT, head,
        "attn.q_bias", 0, OUT, head,
        "attn.k_bias", 0, OUT, head,
        "attn.v_bias", 0, OUT, head,
        "attn.o_weight", 1, IN, head);
    // one model dimension in and out: o row i goes with q/k/v column i
    assertMembers(deps.group("proj output features"),
        "proj.weight", 0, OUT, identity(8),
        "proj.bias", 0, OUT, identity(8),
        "attn.q_weight", 1, IN, identity(8),
        "attn.k_weight", 1, IN, identity(8),
        "attn.v_weight", 1, IN, identity(8),
        "attn.o_weight", 0, OUT, identity(8),
        "attn.o_bias", 0, OUT, identity(8),
        "fc.weight", 1, IN, identity(8));
    assertEquals(List.of("proj output features", "attn heads"), deps.groups().stream().map(PruningGroup::root).toList());
  }

  @Test
  void gqaKvHeadTakesItsWholeQueryGroup() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.gqa());
    PruningGroup g = deps.group("attn kv heads (each with its 2 query heads)");
    assertEquals(2, g.size());
    // kv head u: query heads 2u, 2u+1 (rows 4u .. 4u+3 of q, head dim 2), k/v rows 2u .. 2u+1
    assertMembers(g,
        "attn.q_weight", 0, OUT, blocks(2, 4, 0),
        "attn.k_weight", 0, OUT, blocks(2, 2, 0),
        "attn.v_weight", 0, OUT, blocks(2, 2, 0),
        "attn.o_weight", 1, IN, blocks(2, 4, 0));
  }

  @Test
  void transformerMlpHiddenNeurons() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.transformerMlp());
    assertEquals(List.of("fc1 output features"), deps.groups().stream().map(PruningGroup::root).toList());
    assertMembers(deps.group("fc1 output features"),
        "fc1.weight", 0, OUT, identity(12),
        "fc1.bias", 0, OUT, identity(12),
        "fc2.weight", 1, IN, identity(12));
    // the residual stream starts at the graph input, so its dimensions stay
    PruningGroup stream = deps.groupOf("fc2.weight", 0, 0);
    assertFalse(stream.isPrunable());
    assertEquals("x", stream.blockers().get(0).node());
    assertMembers(stream,
        "ln.gamma", 0, OUT, identity(6),
        "ln.beta", 0, OUT, identity(6),
        "fc1.weight", 1, IN, identity(6),
        "fc2.weight", 0, OUT, identity(6),
        "fc2.bias", 0, OUT, identity(6),
        "head.weight", 1, IN, identity(6));
  }

  @Test
  void swigluGateAndUpRowsGoWithDownColumns() {
    DependencyGraph deps = DependencyGraph.build(StructureModels.swiglu());
    assertMembers(deps.group("gate output features"),
        "gate.weight", 0, OUT, identity(10),
        "up.weight", 0, OUT, identity(10),
        "down.weight", 1, IN, identity(10));
  }

  @Test
  void hiddenDimensionSpansEmbeddingNormsProjectionsAndResiduals() {
    PruningGroup g = DependencyGraph.build(StructureModels.hiddenWithNorms()).group("emb embedding dims");
    assertTrue(g.isPrunable());
    assertEquals(8, g.size());
    int[][] id = identity(8);
    assertMembers(g,
        "emb.weight", 1, OUT, id,
        "ln1.gamma", 0, OUT, id,
        "ln1.beta", 0, OUT, id,
        "attn.q_weight", 1, IN, id,
        "attn.k_weight", 1, IN, id,
        "attn.v_weight", 1, IN, id,
        "attn.o_weight", 0, OUT, id,
        "rms2.gamma", 0, OUT, id,
        "fc1.weight", 1, IN, id,
        "fc2.weight", 0, OUT, id,
        "fc2.bias", 0, OUT, id,
        "lnf.gamma", 0, OUT, id,
        "lnf.beta", 0, OUT, id,
        "head.weight", 1, IN, id);
    assertEquals(3, g.notes().size(), g.notes()::toString);
    assertTrue(g.notes().get(0).startsWith("layernorm 'ln1' normalises over these channels"));
  }

  @Test
  void softmaxOverChannelsIsUnprunable() {
    DependencyGraph deps = DependencyGraph.build(GraphBuilder.create(1).input("x", 6)
        .linear("fc1", 5).softmax().linear("fc2", 2).build());
    PruningGroup g = deps.group("fc1 output features");
    assertFalse(g.isPrunable());
    assertEquals(List.of(new Unprunable("softmax_1", "softmax over the channel axis mixes all channels",
        "fc1 output features")), g.blockers());
  }

  @Test
  void linearOverAnotherAxisThanTheChannelsBlocksThem() {
    // conv1d output [4 channels, 6 positions]; a linear over the positions cannot follow the channels
    DependencyGraph deps = DependencyGraph.build(GraphBuilder.create(1).input("x", 2, 6)
        .conv("c", 1, 4, 3, 1, 1, 1).activation(Activation.Kind.TANH).linear("fc", 3).build());
    PruningGroup g = deps.group("c output channels");
    assertFalse(g.isPrunable());
    assertEquals("fc", g.blockers().get(0).node());
    assertEquals("reads axis 2 of 'tanh_1', whose channels lie on axis 1", g.blockers().get(0).reason());
  }
}
