package org.prunekit.criteria.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prunekit.core.exec.ActivationStatistics;
import org.prunekit.core.exec.AttentionProbe;
import org.prunekit.core.exec.ExecutionHook;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Node;
import org.prunekit.core.graph.Parameter;
import org.prunekit.core.io.Provenance;
import org.prunekit.core.mask.MaskSet;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.tensor.TensorConversions;
import org.prunekit.criteria.Pruning;
import org.prunekit.criteria.PruningSpec;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.ScoringInputs;
import org.prunekit.criteria.Targets;
import org.prunekit.criteria.pattern.NmPattern;

/** The sequential procedure against a step-by-step reference built from independent parts. */
class SequentialPrunerTest {
  static final String[] BLOCK0 = {"blk.0.att", "blk.0.up", "blk.0.down"};
  static final String[] BLOCK1 = {"blk.1.att", "blk.1.up", "blk.1.down"};

  /** Reference statistics of the nodes' weights over the whole graph: ActivationStatistics + probe. */
  static Map<String, double[]> referenceNorms(Graph g, CalibrationSet cal, String... nodes) {
    Set<String> want = Set.of(nodes);
    ActivationStatistics stats = new ActivationStatistics(n -> want.contains(n.name()));
    Map<String, double[]> ctx = new HashMap<>();
    try (GraphExecutor ex = GraphExecutor.create(g); NDManager m = ex.manager().newSubManager()) {
      ExecutionHook probe = new ExecutionHook() {
        @Override
        public void onInputs(Node node, NDList in) {
          if (want.contains(node.name()) && node.name().endsWith(".att")) {
            NDArray c = AttentionProbe.outputProjectionInput(node, in.get(0), ex.parameters());
            float[] v = c.toFloatArray();
            double[] s = ctx.computeIfAbsent(node.name(), k -> new double[DIM_CTX]);
            for (int i = 0; i < v.length; i++) {
              s[i % DIM_CTX] += (double) v[i] * v[i];
            }
          }
        }
      };
      ex.forward(new NDList(TensorConversions.toDjl(m, cal.batch(0, cal.size()))), List.of(stats, probe));
    }
    Map<String, double[]> out = new HashMap<>();
    for (String n : nodes) {
      if (n.endsWith(".att")) {
        for (String w : new String[] {"q_weight", "k_weight", "v_weight"}) {
          out.put(n + "." + w, stats.sumSquares(n));
        }
        out.put(n + ".o_weight", ctx.get(n));
      } else {
        out.put(n + ".weight", stats.sumSquares(n));
      }
    }
    return out;
  }

  static final int DIM_CTX = 8;

  static PruningSpec spec(String criterion, Targets t) {
    return PruningSpec.builder().setCriterion(criterion).setSparsity(0.5).optTargets(t).build();
  }

  @Test
  void sequentialWandaEqualsTheStepByStepReference() {
    CalibrationSet cal = BlockGraphs.calibration(6, 3);
    Graph ref = BlockGraphs.twoBlocks(11);
    Graph g = ref.copy();
    // Reference: stats of block 0 from the dense model, prune it; then stats of block 1 behind the
    // pruned block 0, prune it.
    Map<String, double[]> n0 = referenceNorms(ref, cal, BLOCK0);
    Pruning.prune(ref, spec("wanda", Targets.only(BLOCK0)), ScoringInputs.ofNorms(n0));
    Map<String, double[]> n1 = referenceNorms(ref, cal, BLOCK1);
    Pruning.prune(ref, spec("wanda", Targets.only(BLOCK1)), ScoringInputs.ofNorms(n1));

    BlockPartition part = BlockPartition.numbered(g, "blk.");
    Targets targets = SequentialPruner.blockTargets(g, part);
    assertEquals(new LinkedHashSet<>(List.of(BLOCK0[0], BLOCK0[1], BLOCK0[2], BLOCK1[0], BLOCK1[1], BLOCK1[2])),
        new LinkedHashSet<>(targets.includeNodes()));
    SequentialResult r = SequentialPruner.builder().setSpec(spec("wanda", targets)).setPartition(part)
        .optCalibration(cal).optBatchSize(4).build().prune(g);
    assertEquals(12, r.masks().size()); // 2 x (q, k, v, o, up, down)
    for (Parameter p : ref.parameters()) {
      if (p.hasMask()) {
        assertArrayEquals(p.mask().data(), g.parameter(p.qualifiedName()).mask().data(), p.qualifiedName());
        assertArrayEquals(p.value().data(), g.parameter(p.qualifiedName()).value().data(), p.qualifiedName());
      }
    }
    assertNull(g.parameter("in_proj.weight").mask());
    assertNull(g.parameter("head.weight").mask());
    assertEquals(0.5, r.report().maskedZeros() / (double) r.report().numel(), 1e-12);
    // Block 1's statistics really came from behind the pruned block 0: the dense ones differ.
    Map<String, double[]> dense1 = referenceNorms(BlockGraphs.twoBlocks(11), cal, BLOCK1);
    assertNotEquals(dense1.get("blk.1.up.weight")[0], n1.get("blk.1.up.weight")[0]);

    Provenance pv = r.provenance().build();
    assertEquals("wanda", pv.criterion());
    assertEquals(6, pv.calibrationSamples());
    assertEquals(cal.sha256(), pv.calibrationSha256());
    assertEquals(3L, pv.seed());
    assertEquals("SEQUENTIAL", pv.settings().get("calibration_mode"));
  }

  @Test
  void denseModeUsesStatisticsOfTheUnprunedModel() {
    CalibrationSet cal = BlockGraphs.calibration(5, 4);
    Graph ref = BlockGraphs.twoBlocks(12);
    Graph g = ref.copy();
    String[] all = {BLOCK0[0], BLOCK0[1], BLOCK0[2], BLOCK1[0], BLOCK1[1], BLOCK1[2]};
    PruningSpec s = PruningSpec.builder().setCriterion("ria").setSparsity(0.5).optTargets(Targets.only(all))
        .optScope(Scope.GLOBAL).build();
    Pruning.prune(ref, s, ScoringInputs.ofNorms(referenceNorms(ref, cal, all)));
    SequentialPruner.builder().setSpec(s).optMode(CalibrationMode.DENSE).optCalibration(cal).build().prune(g);
    for (Parameter p : ref.parameters()) {
      if (p.hasMask()) {
        assertArrayEquals(p.mask().data(), g.parameter(p.qualifiedName()).mask().data(), p.qualifiedName());
      }
    }
  }

  @Test
  void weightOnlyCriteriaNeedNoCalibration() {
    Graph g = BlockGraphs.twoBlocks(13);
    Graph ref = g.copy();
    Targets t = SequentialPruner.blockTargets(g, BlockPartition.numbered(g, "blk."));
    SequentialResult r = SequentialPruner.builder().setSpec(spec("magnitude", t)).build().prune(g);
    Pruning.prune(ref, spec("magnitude", t));
    assertNull(r.calibration());
    assertEquals(MaskSet.attachedTo(ref), MaskSet.attachedTo(g));
    assertNull(r.provenance().build().calibrationSha256());
  }

  /** Records the Gram matrices it is given and prunes the smallest |w| of each row (no update). */
  static final class RecordingReconstructor implements LayerReconstructor {
    final Map<String, GramMatrix> seen = new HashMap<>();
    String failOn;

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Reconstruction reconstruct(Parameter weight, GramMatrix gram, PruningSpec spec) {
      if (weight.qualifiedName().equals(failOn)) {
        throw new IllegalArgumentException("refusing " + failOn);
      }
      seen.put(weight.qualifiedName(), gram);
      MaskSet m = Pruning.computeMasks(graphOf(weight), PruningSpec.builder().setCriterion("magnitude")
          .setSparsity(spec.sparsity()).optScope(Scope.ROW).optTargets(Targets.only(weight.nodeName())).build(),
          ScoringInputs.none());
      Tensor mask = m.mask(weight.qualifiedName());
      float[] v = weight.value().data().clone();
      for (int i = 0; i < v.length; i++) {
        v[i] = mask.data()[i] == 0f ? 0f : v[i] * 2f; // "update" the survivors
      }
      return new Reconstruction(new Tensor(weight.shape(), v), mask);
    }

    Graph graph;

    Graph graphOf(Parameter p) {
      return graph;
    }
  }

  @Test
  void reconstructorGetsGramMatricesAndItsValuesAreInstalled() {
    CalibrationSet cal = BlockGraphs.calibration(3, 5);
    Graph g = BlockGraphs.twoBlocks(14);
    Graph dense = g.copy();
    RecordingReconstructor rec = new RecordingReconstructor();
    rec.graph = g;
    BlockPartition part = BlockPartition.numbered(g, "blk.");
    SequentialPruner.builder().setSpec(spec("magnitude", SequentialPruner.blockTargets(g, part))).setPartition(part)
        .optCalibration(cal).optReconstructor(rec).build().prune(g);
    // Block 0's Gram (dense inputs) is X^T X of blk.0.up's input: its diagonal equals the reference norms.
    Map<String, double[]> n0 = referenceNorms(dense, cal, BLOCK0);
    GramMatrix gu = rec.seen.get("blk.0.up.weight");
    assertEquals(3L * 4, gu.tokens());
    assertArrayEquals(n0.get("blk.0.up.weight"), gu.diagonal(), 1e-4);
    assertArrayEquals(n0.get("blk.0.att.o_weight"), rec.seen.get("blk.0.att.o_weight").diagonal(), 1e-4);
    assertEquals(gu.get(1, 2), gu.get(2, 1), 1e-6);
    // values: survivors doubled, pruned zero, masks attached
    Parameter up = g.parameter("blk.1.up.weight");
    float[] before = dense.parameter("blk.1.up.weight").value().data();
    for (int i = 0; i < before.length; i++) {
      float expect = up.mask().data()[i] == 0f ? 0f : 2f * before[i];
      assertEquals(expect, up.value().data()[i], 0f);
    }
  }

  @Test
  void aFailureInALaterBlockLeavesTheGraphUnchanged() {
    CalibrationSet cal = BlockGraphs.calibration(3, 6);
    Graph g = BlockGraphs.twoBlocks(15);
    Graph before = g.copy();
    RecordingReconstructor rec = new RecordingReconstructor();
    rec.graph = g;
    rec.failOn = "blk.1.down.weight";
    BlockPartition part = BlockPartition.numbered(g, "blk.");
    SequentialPruner p = SequentialPruner.builder().setSpec(spec("magnitude", SequentialPruner.blockTargets(g, part)))
        .setPartition(part).optCalibration(cal).optReconstructor(rec).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.prune(g));
    assertTrue(e.getMessage().contains("refusing"), e.getMessage());
    assertTrue(rec.seen.containsKey("blk.0.up.weight")); // block 0 had been staged
    for (Parameter q : before.parameters()) {
      Parameter now = g.parameter(q.qualifiedName());
      assertTrue(q.value().bitEquals(now.value()), q.qualifiedName());
      assertNull(now.mask(), q.qualifiedName());
    }
  }

  @Test
  void badRequestsAreRejectedBeforeAnythingChanges() {
    Graph g = BlockGraphs.twoBlocks(16);
    Graph before = g.copy();
    BlockPartition part = BlockPartition.numbered(g, "blk.");
    Targets t = SequentialPruner.blockTargets(g, part);
    CalibrationSet cal = BlockGraphs.calibration(2, 1);
    // no calibration for an activation-aware criterion
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SequentialPruner.builder().setSpec(spec("wanda", t)).setPartition(part).build().prune(g));
    assertTrue(e.getMessage().contains("calibration"), e.getMessage());
    // GLOBAL scope in sequential mode
    PruningSpec global = PruningSpec.builder().setCriterion("wanda").setSparsity(0.5).optTargets(t)
        .optScope(Scope.GLOBAL).build();
    e = assertThrows(IllegalArgumentException.class, () -> SequentialPruner.builder().setSpec(global)
        .setPartition(part).optCalibration(cal).build().prune(g));
    assertTrue(e.getMessage().contains("GLOBAL"), e.getMessage());
    // a target outside the blocks
    e = assertThrows(IllegalArgumentException.class, () -> SequentialPruner.builder()
        .setSpec(spec("wanda", Targets.only("head", "blk.0.up"))).setPartition(part).optCalibration(cal).build()
        .prune(g));
    assertTrue(e.getMessage().contains("head.weight"), e.getMessage());
    // N:M with M not dividing the width (16-wide down projection is fine, 8-wide with M=3 is not)
    PruningSpec nm = PruningSpec.builder().setCriterion("wanda").optPattern(NmPattern.keep(1, 3)).optTargets(t)
        .build();
    e = assertThrows(IllegalArgumentException.class, () -> SequentialPruner.builder().setSpec(nm)
        .setPartition(part).optCalibration(cal).build().prune(g));
    assertTrue(e.getMessage().contains("blk.0.att.q_weight"), e.getMessage());
    // calibration of the wrong shape
    CalibrationSet wrong = CalibrationSet.of(List.of(Tensor.of(new float[8], 1, 8)), 0, "wrong");
    e = assertThrows(IllegalArgumentException.class, () -> SequentialPruner.builder().setSpec(spec("wanda", t))
        .setPartition(part).optCalibration(wrong).build().prune(g));
    assertTrue(e.getMessage().contains("[1, 8]") || e.getMessage().contains("(1, 8)"), e.getMessage());
    for (Parameter q : before.parameters()) {
      assertTrue(q.value().bitEquals(g.parameter(q.qualifiedName()).value()));
      assertNull(g.parameter(q.qualifiedName()).mask());
    }
  }

  @Test
  void partitionFindsPrefixBlocksAndSuffix() {
    Graph g = BlockGraphs.twoBlocks(17);
    BlockPartition p = BlockPartition.numbered(g, "blk.");
    assertEquals(List.of("in_proj"), p.prefix());
    assertEquals(List.of("head"), p.suffix());
    assertEquals("in_proj", p.blocks().get(0).input());
    assertEquals("blk.0.out", p.blocks().get(0).output());
    assertEquals("blk.0.out", p.blocks().get(1).input());
    assertSame(p.blocks().get(1), p.blockOf("blk.1.up"));
    assertTrue(p.blocks().get(0).nodes().stream().anyMatch(n -> n.startsWith("relu_")), p.blocks().get(0).nodes().toString());
    assertThrows(IllegalArgumentException.class, () -> BlockPartition.numbered(g, "nothing."));
    // a block that reads two values from outside
    List<List<String>> bad = new ArrayList<>();
    bad.add(List.of("blk.0.att", "blk.0.res")); // reads blk.0.norm and in_proj
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BlockPartition.of(g, List.of("half"), bad));
    assertTrue(e.getMessage().contains("half"), e.getMessage());
  }
}
