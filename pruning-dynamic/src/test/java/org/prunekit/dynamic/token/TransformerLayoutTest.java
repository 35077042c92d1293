package org.prunekit.dynamic.token;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Attention;

class TransformerLayoutTest {
  @Test
  void crossBlockReadIsRejectedNamingTheNode() {
    // block 2's MLP reads block 1's norm output: not a sequential chain of blocks
    GraphBuilder b = GraphBuilder.create(1).input("x", 4, 8);
    b.from("x").linear("embed", 8);
    b.from("embed").layerNorm("b1_ln");
    b.node("b1_attn", new Attention(8, 2, 2, 4, false, 0f, true), "b1_ln");
    b.add("b1_add", "embed", "b1_attn");
    b.from("b1_add").layerNorm("b2_ln");
    b.node("b2_attn", new Attention(8, 2, 2, 4, false, 0f, true), "b2_ln");
    b.add("b2_add", "b1_add", "b2_attn");
    b.add("b2_mix", "b2_add", "b1_ln");
    Graph g = b.build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransformerLayout.of(g));
    assertTrue(e.getMessage().contains("'b2_mix'") && e.getMessage().contains("'b1_ln'"), e.getMessage());
  }

  @Test
  void rotaryOrCausalAttentionAndAttentionFreeGraphsAreRejected() {
    GraphBuilder b = GraphBuilder.create(1).input("x", 4, 8);
    b.from("x").linear("embed", 8).layerNorm("ln");
    b.node("attn", new Attention(8, 2, 2, 4, true, 10000f, true), "ln");
    b.add("add", "embed", "attn");
    Graph g = b.build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransformerLayout.of(g));
    assertTrue(e.getMessage().contains("'attn' is causal"), e.getMessage());
    Graph mlp = GraphBuilder.create(1).input("x", 4, 8).linear("fc", 8).build();
    e = assertThrows(IllegalArgumentException.class, () -> TransformerLayout.of(mlp));
    assertTrue(e.getMessage().contains("no attention node"), e.getMessage());
  }
}
