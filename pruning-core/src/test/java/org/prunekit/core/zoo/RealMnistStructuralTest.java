package org.prunekit.core.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.prunekit.core.cost.CostTotals;
import org.prunekit.core.data.IdxDataset;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.op.Conv;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.io.onnx.OnnxImporter;
import org.prunekit.core.structure.DependencyGraph;
import org.prunekit.core.structure.GroupMember;
import org.prunekit.core.structure.PhysicalPruner;
import org.prunekit.core.structure.PruningGroup;
import org.prunekit.core.structure.StructuralPlan;
import org.prunekit.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two real ONNX MNIST models of the shared data: their groups, and the physical removal of the
 * lowest-L1 half of every convolution's output channels (L1 over the group's producing slices:
 * conv weight rows and biases), evaluated on the first 1000 MNIST test images (raw 0..255 pixels,
 * what both models were measured with). No fine-tuning, so accuracy drops.
 *
 * <p>The invariant (pruned = original with the removed channels zeroed) is checked relative to the
 * largest logit: with raw pixels mnist-8's logits reach thousands, where float32 cannot hold an
 * absolute 1e-4.
 */
class RealMnistStructuralTest {
  private static final Logger LOG = LoggerFactory.getLogger(RealMnistStructuralTest.class);
  private static final Path DATA = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"), "data");
  private static final Path MNIST8 = DATA.resolve("models/mnist-8-onnx/mnist-8.onnx");
  private static final Path TRIBUO = DATA.resolve("models/lenet-mnist-tribuo-onnx/pytorch_cnn_mnist.onnx");
  private static final int IMAGES = 1000;

  private record Outcome(Graph pruned, double accuracyBefore, double accuracyAfter, float invariantError) {}

  @Test
  void mnist8ConvChannelsHalvedByL1() throws Exception {
    assumeTrue(Files.isRegularFile(MNIST8), "mnist-8.onnx not present");
    Graph g = OnnxImporter.load(MNIST8);
    DependencyGraph d = DependencyGraph.build(g);
    LOG.info("mnist-8 groups:\n{}", d);
    assertEquals(List.of("Convolution28 output channels (8)", "Convolution110 output channels (16)"),
        ZooTestSupport.prunableRoots(d));
    assertEquals(4, d.allGroups().size(), "plus the fixed input channel and the logits");
    PruningGroup c2 = d.group("Convolution110 output channels");
    assertEquals(List.of("Convolution110.weight@0 OUT", "Convolution110.bias@0 OUT", "Times212.weight@1 IN"),
        ZooTestSupport.memberKeys(c2));
    assertEquals(16, c2.member("Times212.weight", 1).indices(3).length, "a 4x4 map per channel after the reshape");
    assertEquals(48, c2.member("Times212.weight", 1).indices(3)[0]);

    Outcome o = pruneConvHalves(g, d, "mnist-8");
    assertEquals(4, ((Conv) o.pruned().node("Convolution28").op()).outChannels());
    assertEquals(4, ((Conv) o.pruned().node("Convolution110").op()).inChannels());
    assertEquals(8, ((Conv) o.pruned().node("Convolution110").op()).outChannels());
    assertEquals(new Linear(128, 10, true), o.pruned().node("Times212").op());
    assertTrue(o.accuracyBefore() >= 0.97, "mnist-8 scores 98.9% on the full test set; got " + o.accuracyBefore());
  }

  @Test
  void tribuoConvChannelsHalvedByL1() throws Exception {
    assumeTrue(Files.isRegularFile(TRIBUO), "pytorch_cnn_mnist.onnx not present");
    Graph g = OnnxImporter.load(TRIBUO);
    DependencyGraph d = DependencyGraph.build(g);
    LOG.info("tribuo LeNet groups:\n{}", d);
    assertEquals(List.of("Conv_9 output channels (10)", "Conv_12 output channels (20)", "Gemm_17 output features (50)"),
        ZooTestSupport.prunableRoots(d));
    assertEquals(5, d.allGroups().size(), "plus the fixed input channel and the logits");
    PruningGroup c2 = d.group("Conv_12 output channels");
    assertEquals(List.of("Conv_12.weight@0 OUT", "Conv_12.bias@0 OUT", "Gemm_17.weight@1 IN"),
        ZooTestSupport.memberKeys(c2));
    assertEquals(32, c2.member("Gemm_17.weight", 1).indices(2)[0]);

    Outcome o = pruneConvHalves(g, d, "tribuo LeNet");
    assertEquals(5, ((Conv) o.pruned().node("Conv_9").op()).outChannels());
    assertEquals(10, ((Conv) o.pruned().node("Conv_12").op()).outChannels());
    assertEquals(new Linear(160, 50, true), o.pruned().node("Gemm_17").op());
    assertTrue(o.accuracyBefore() >= 0.97, "the Tribuo CNN scores 99.0% on the full test set; got " + o.accuracyBefore());
  }

  /** Removes the lowest-L1 half of every conv group, checks the invariant, reports accuracy and costs. */
  private static Outcome pruneConvHalves(Graph g, DependencyGraph d, String name) throws Exception {
    StructuralPlan.Builder b = StructuralPlan.builder();
    for (PruningGroup grp : d.groups()) {
      String root = grp.root().substring(0, grp.root().indexOf(' '));
      if (!(g.node(root).op() instanceof Conv)) {
        continue;
      }
      double[] l1 = groupL1(g, grp);
      SortedSet<Integer> lowest = lowestHalf(l1);
      assertEquals(lowestHalf(directConvL1(g, root)), lowest, "group scores equal the conv's own row L1 for " + root);
      LOG.info("{}: '{}' L1 per channel {}, removing {}", name, grp.root(), java.util.Arrays.toString(l1), lowest);
      b.remove(grp, lowest);
    }
    StructuralPlan plan = b.build();
    Graph pruned = PhysicalPruner.apply(g, plan);
    Graph zeroed = ZooTestSupport.zeroedReference(g, plan);

    IdxDataset test = IdxDataset.loadDir(DATA.resolve("mnist"), "t10k").subset(0, IMAGES);
    int before = 0;
    int after = 0;
    int afterZeroed = 0;
    float err = 0f;
    try (GraphExecutor original = GraphExecutor.create(g); GraphExecutor smaller = GraphExecutor.create(pruned);
        GraphExecutor reference = GraphExecutor.create(zeroed)) {
      for (IdxDataset.Batch batch : test.batches(500)) {
        Tensor y0 = original.predict(batch.images());
        Tensor y1 = smaller.predict(batch.images());
        Tensor yz = reference.predict(batch.images());
        err = Math.max(err, rowRelDiff(yz, y1));
        before += correct(y0, batch.labels());
        after += correct(y1, batch.labels());
        afterZeroed += correct(yz, batch.labels());
      }
    }
    double accBefore = (double) before / IMAGES;
    double accAfter = (double) after / IMAGES;
    CostTotals c0 = ZooTestSupport.cost(g);
    CostTotals c1 = ZooTestSupport.cost(pruned);
    LOG.info("{}: accuracy on the first {} test images {} -> {} (no fine-tuning); params {} -> {} ({}), MACs {} -> {}"
        + " ({}); invariant error (relative to the largest logit) {}", name, IMAGES, accBefore, accAfter, c0.params(),
        c1.params(), ResNetZooTest.ratio(c1.params(), c0.params()), c0.macs(), c1.macs(),
        ResNetZooTest.ratio(c1.macs(), c0.macs()), err);
    assertTrue(err <= ZooTestSupport.TOLERANCE, name + ": pruned vs zeroed differ by " + err);
    assertEquals(afterZeroed, after, "the zeroed original classifies exactly as the pruned graph");
    assertTrue(accAfter >= 0 && accAfter <= 1 && accBefore >= 0 && accBefore <= 1);
    assertTrue(c1.macs() < c0.macs() && c1.params() < c0.params());
    return new Outcome(pruned, accBefore, accAfter, err);
  }

  /** Per unit, the L1 norm of every producing (OUT) slice of the group. */
  private static double[] groupL1(Graph g, PruningGroup grp) {
    double[] l1 = new double[grp.size()];
    for (GroupMember m : grp.members()) {
      if (m.direction() != GroupMember.Direction.OUT) {
        continue;
      }
      Tensor t = g.parameter(m.parameter()).value();
      for (int u = 0; u < grp.size(); u++) {
        for (int i : m.indices(u)) {
          l1[u] += ZooTestSupport.sliceL1(t, m.axis(), i);
        }
      }
    }
    return l1;
  }

  /** The same score computed from the conv node alone: |weight row| + |bias|. */
  private static double[] directConvL1(Graph g, String conv) {
    Tensor w = g.parameter(conv + ".weight").value();
    float[] bias = g.parameter(conv + ".bias").value().data();
    int rows = w.shape().get(0);
    int per = w.size() / rows;
    double[] l1 = new double[rows];
    for (int r = 0; r < rows; r++) {
      for (int i = r * per; i < (r + 1) * per; i++) {
        l1[r] += Math.abs(w.data()[i]);
      }
      l1[r] += Math.abs(bias[r]);
    }
    return l1;
  }

  private static SortedSet<Integer> lowestHalf(double[] score) {
    List<Integer> order = new ArrayList<>();
    for (int u = 0; u < score.length; u++) {
      order.add(u);
    }
    order.sort(Comparator.comparingDouble((Integer u) -> score[u]).thenComparing(u -> u));
    return new TreeSet<>(order.subList(0, score.length / 2));
  }

  private static int correct(Tensor logits, int[] labels) {
    int classes = logits.shape().get(1);
    int n = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int k = 1; k < classes; k++) {
        if (logits.data()[i * classes + k] > logits.data()[i * classes + best]) {
          best = k;
        }
      }
      n += best == labels[i] ? 1 : 0;
    }
    return n;
  }

  /** Max over samples of max |a - b| / max(1, max |a|) within the sample's row. */
  private static float rowRelDiff(Tensor a, Tensor b) {
    assertEquals(a.shape(), b.shape());
    int classes = a.shape().get(1);
    float worst = 0f;
    for (int i = 0; i < a.shape().get(0); i++) {
      float scale = 1f;
      float diff = 0f;
      for (int k = i * classes; k < (i + 1) * classes; k++) {
        scale = Math.max(scale, Math.abs(a.data()[k]));
        diff = Math.max(diff, Math.abs(a.data()[k] - b.data()[k]));
      }
      worst = Math.max(worst, diff / scale);
    }
    return worst;
  }
}
