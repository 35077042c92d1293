package org.prunekit.dynamic.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.core.zoo.ModelZoo;
import org.prunekit.core.zoo.VitConfig;
import org.prunekit.dynamic.InferenceCost;

class TokenPrunerTest {
  private static void assertClose(Tensor a, Tensor b, float tol) {
    assertEquals(a.shape(), b.shape());
    assertArrayEquals(a.data(), b.data(), tol);
  }

  @Test
  void layoutFindsBlocksPrefixAndTail() {
    TransformerLayout l = TransformerLayout.of(TinyVit.model().encoder());
    assertEquals(3, l.depth());
    assertEquals(List.of("patch_embed", "pos_embed", "embed"), l.prefix().stream().map(Node::name).toList());
    assertEquals(List.of("ln_f"), l.tail().stream().map(Node::name).toList());
    assertEquals("blk1_add2", l.streamInput(1));
    assertEquals("blk2_add2", l.block(1).get(l.block(1).size() - 1).name());
    assertEquals(1, l.blockOfAttention("blk2_attn"));
  }

  @Test
  void denseRunnerEqualsGraphExecutorAndKeepAllEqualsDense() {
    TransformerModel m = TinyVit.model();
    Tensor[] in = TinyVit.inputs(2, 1);
    Tensor ref;
    try (GraphExecutor enc = GraphExecutor.create(m.encoder()); GraphExecutor head = GraphExecutor.create(m.head())) {
      Tensor seq = enc.predict(in)[0]; // [2, 5, 8]
      float[] cls = new float[16];
      for (int b = 0; b < 2; b++) {
        System.arraycopy(seq.data(), b * 40, cls, b * 8, 8);
      }
      ref = head.predict(new Tensor(new Shape(2, 8), cls));
    }
    try (TokenPruner p = TokenPruner.builder().setModel(m).setPruneAfterBlock(0).setKeepRatio(1.0).build()) {
      assertClose(ref, p.runner().predict(in), 1e-5f);
      TokenPruner.Result r = p.run(in);
      assertClose(ref, r.output(), 1e-5f);
      assertArrayEquals(new int[] {0, 1, 2, 3, 4}, r.kept()[1]);
    }
  }

  @Test
  void shrunkSequenceEqualsRemainingBlocksOnHandGatheredTokens() {
    TransformerModel m = TinyVit.model();
    Tensor[] in = TinyVit.inputs(2, 2);
    Graph g = m.encoder();
    try (TokenPruner p = TokenPruner.builder().setModel(m).setPruneAfter("blk1_attn").setKeepRatio(0.5).build()) {
      TokenPruner.Result r = p.run(in);
      assertEquals(3, p.keptTokens()); // class token + round(0.5 * 4) = 2
      TransformerRunner run = p.runner();
      Tensor expected;
      int[][] keptRef = new int[2][];
      try (NDManager call = run.newCallManager()) {
        NDArray x = run.embed(run.toEngine(call, in));
        List<Tensor> attnIn = new ArrayList<>();
        NDArray y = run.block(0, x, (n, a) -> {
          if (n.name().equals("blk1_attn")) {
            attnIn.add(TensorConversions.fromDjl(a));
          }
        });
        // V-norm by hand on the heap: V = x Wv^T + bv, 2 heads of 4, mean of head norms.
        float[] xin = attnIn.get(0).data();
        float[] wv = g.node("blk1_attn").param("v_weight").value().data();
        float[] bv = g.node("blk1_attn").param("v_bias").value().data();
        Tensor out0 = TensorConversions.fromDjl(y);
        float[] gathered = new float[2 * 3 * 8];
        for (int b = 0; b < 2; b++) {
          float[] score = new float[5];
          for (int t = 0; t < 5; t++) {
            double[] norms = new double[2];
            for (int o = 0; o < 8; o++) {
              double v = bv[o];
              for (int i = 0; i < 8; i++) {
                v += (double) xin[(b * 5 + t) * 8 + i] * wv[o * 8 + i];
              }
              norms[o / 4] += v * v;
            }
            score[t] = (float) ((Math.sqrt(norms[0]) + Math.sqrt(norms[1])) / 2);
          }
          keptRef[b] = KeepRule.select(score, new boolean[] {true, false, false, false, false}, 2);
          for (int j = 0; j < 3; j++) {
            System.arraycopy(out0.data(), (b * 5 + keptRef[b][j]) * 8, gathered, (b * 3 + j) * 8, 8);
          }
        }
        NDArray z = TensorConversions.toDjl(call, new Tensor(new Shape(2, 3, 8), gathered));
        z = run.block(2, run.block(1, z, null), null);
        expected = TensorConversions.fromDjl(run.finish(z));
      }
      assertArrayEquals(keptRef[0], r.kept()[0]);
      assertArrayEquals(keptRef[1], r.kept()[1]);
      assertClose(expected, r.output(), 1e-5f);
    }
  }

  @Test
  void eachSampleOfABatchKeepsItsOwnTokens() {
    TransformerModel m = TinyVit.model();
    Tensor[] in = TinyVit.inputs(3, 3);
    try (TokenPruner p = TokenPruner.builder().setModel(m).setPruneAfterBlock(1).setKeepRatio(0.5)
        .optProxy(TokenProxy.ATTENTION).build()) {
      TokenPruner.Result all = p.run(in);
      for (int b = 0; b < 3; b++) {
        TokenPruner.Result one = p.run(TinyVit.rows(in[0], b, b + 1), TinyVit.rows(in[1], b, b + 1));
        assertArrayEquals(one.kept()[0], all.kept()[b]);
        assertClose(one.output(), TinyVit.rows(all.output(), b, b + 1), 1e-5f);
      }
    }
  }

  @Test
  void protectedTokensAreNeverPruned() {
    Tensor[] in = TinyVit.inputs(4, 4);
    for (TokenProxy proxy : TokenProxy.values()) {
      try (TokenPruner p = TokenPruner.builder().setModel(TinyVit.model()).setPruneAfterBlock(0).setKeepRatio(0.25)
          .optProxy(proxy).optProtectedTokens(0, 3).build()) {
        TokenPruner.Result r = p.run(in);
        for (int[] kept : r.kept()) {
          assertEquals(3, kept.length); // 2 protected + max(1, round(0.25 * 3)) = 1
          assertTrue(kept[0] == 0 && (kept[1] == 3 || kept[2] == 3), java.util.Arrays.toString(kept));
        }
      }
    }
  }

  @Test
  void macsFollowTheFormulaWithTheShrunkSequence() {
    // prefix: patch_embed 5*16*8 = 640. block(s): attention 4*s*8*8 + 2*2*s*s*4 = 256s + 16s^2,
    // fc1 + fc2 2*s*8*16 = 256s -> 512s + 16s^2: s=5 2960, s=3 1680. head 8*3 = 24.
    // V-norm proxy: 5*8*8 = 320.
    try (TokenPruner p = TokenPruner.builder().setModel(TinyVit.model()).setPruneAfterBlock(0).setKeepRatio(0.5)
        .build()) {
      InferenceCost c = p.cost(1);
      assertEquals(640 + 2960 + 2 * 1680 + 24 + 320, c.macs());
      assertEquals(640 + 3 * 2960 + 24, p.denseCost(1).macs());
      assertEquals(3.0, c.counters().get("tokensKept"));
      assertEquals(2.0, c.counters().get("tokensPruned"));
      assertEquals(2 * c.macs(), p.cost(2).macs());
      assertEquals(c, p.run(TinyVit.inputs(1, 5)).costPerInput());
      assertTrue(c.memoryAccessBytes() < p.denseCost(1).memoryAccessBytes());
    }
    // attention proxy, 1 query row: q 1*8*8 + k 5*8*8 + scores 2*1*5*4 = 64 + 320 + 40
    try (TokenPruner p = TokenPruner.builder().setModel(TinyVit.model()).setPruneAfterBlock(0).setKeepRatio(0.5)
        .optProxy(TokenProxy.ATTENTION).build()) {
      assertEquals(640 + 2960 + 2 * 1680 + 24 + 424, p.cost(1).macs());
    }
  }

  @Test
  void badSettingsGiveClearErrors() {
    TransformerModel m = TinyVit.model();
    for (double r : new double[] {0, 1.5, -1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TokenPruner.builder().setModel(m).setPruneAfterBlock(0).setKeepRatio(r).build());
      assertTrue(e.getMessage().contains("keep ratio"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenPruner.builder().setModel(m).setPruneAfterBlock(3).setKeepRatio(0.5).build());
    assertTrue(e.getMessage().contains("block index 3 is out of range [0, 2]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TokenPruner.builder().setModel(m).setPruneAfter("blk1_fc1").setKeepRatio(0.5).build());
    assertTrue(e.getMessage().contains("'blk1_fc1' is linear, not attention"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TokenPruner.builder().setModel(m).setPruneAfter("nope").setKeepRatio(0.5).build());
    assertTrue(e.getMessage().contains("no node 'nope'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TokenPruner.builder().setModel(m).setPruneAfterBlock(0)
        .setKeepRatio(0.5).optProtectedTokens(1).build());
    assertTrue(e.getMessage().contains("token 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TokenPruner.builder().setModel(m).setPruneAfterBlock(0)
        .setKeepRatio(0.5).optProtectedTokens(0, 9).build());
    assertTrue(e.getMessage().contains("protected token 9"), e.getMessage());
    // The plain zoo ViT flattens all tokens into its classifier: no token-wise tail.
    Graph zoo = ModelZoo.vit(VitConfig.builder().build());
    e = assertThrows(IllegalArgumentException.class, () -> TokenPruner.builder()
        .setModel(new TransformerModel(zoo, TransformerModel.Readout.CLS, null)).setPruneAfterBlock(0)
        .setKeepRatio(0.5).build());
    assertTrue(e.getMessage().contains("'flatten'"), e.getMessage());
  }

  @Test
  void modelIsUnchangedAfterAFailedRun() {
    TransformerModel m = TinyVit.model();
    List<float[]> before = new ArrayList<>();
    for (Parameter p : m.encoder().parameters()) {
      before.add(p.value().data().clone());
    }
    Tensor[] in = TinyVit.inputs(2, 6);
    try (TokenPruner p = TokenPruner.builder().setModel(m).setPruneAfterBlock(0).setKeepRatio(0.5).build()) {
      Tensor first = p.run(in).output();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> p.run(new Tensor(new Shape(2, 4, 16), new float[128]), in[1]));
      assertTrue(e.getMessage().contains("'patches'"), e.getMessage());
      assertClose(first, p.run(in).output(), 0f);
    }
    List<Parameter> ps = m.encoder().parameters();
    for (int i = 0; i < ps.size(); i++) {
      assertArrayEquals(before.get(i), ps.get(i).value().data(), ps.get(i).qualifiedName());
    }
  }
}
