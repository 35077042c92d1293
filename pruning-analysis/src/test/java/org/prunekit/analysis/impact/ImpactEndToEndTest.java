package org.prunekit.analysis.impact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.Shape;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.core.zoo.ModelZoo;
import org.prunekit.core.zoo.VitConfig;

/** A tiny ViT on synthetic images: every metric runs end to end in seconds. */
class ImpactEndToEndTest {
  static final VitConfig CONFIG = VitConfig.builder().optInput(1, 8).optPatchSize(4).optDim(8).optDepth(1)
      .optHeads(2, 2).optMlpDim(8).optClasses(2).optSeed(5).build();

  /** Class 0: bright top-left patch; class 1: bright bottom-right patch; plus noise. */
  static ImpactData synthetic(int n, long seed) {
    Random r = new Random(seed);
    float[] img = new float[n * 64];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          boolean hot = labels[i] == 0 ? (y < 4 && x < 4) : (y >= 4 && x >= 4);
          img[i * 64 + y * 8 + x] = (hot ? 1f : 0f) + 0.1f * (float) r.nextGaussian();
        }
      }
    }
    Tensor patches = ModelZoo.patchify(new Tensor(new Shape(n, 1, 8, 8), img), 4);
    return new ImpactData(patches, labels, 2);
  }

  @Test
  void lambdaZeroKeepsEveryNodeAndLargeLambdaDropsThem() {
    PatchModel m = PatchModel.vit(ModelZoo.vit(CONFIG), CONFIG);
    ImpactData task = synthetic(16, 1).select(0);
    CircuitDiscovery.Result keep = CircuitDiscovery.builder().optLambda(0f).optSteps(5).build().discover(m, task);
    assertEquals(1.0, keep.activeFraction(), 0);
    assertEquals(0.0, keep.binaryKl(), 1e-6);
    assertEquals(keep.allNodeEdges(), keep.edges());
    CircuitDiscovery.Result drop = CircuitDiscovery.builder().optLambda(1f).optSteps(25).optLearningRate(0.5f).build().discover(m, task);
    assertEquals(0.0, drop.activeFraction(), 0);
    assertEquals(0, drop.edges());
    assertEquals(2 * 8 * 8 * 2 + 2 * 8 * 8, keep.allNodeEdges()); // q,k,v,o 4*8*8 + fc1, fc2 2*8*8
  }

  @Test
  void saeReconstructsSparseData() {
    // rows = one of 4 fixed atoms times a positive scale: a K=1 dictionary explains them
    Random r = new Random(2);
    int d = 6;
    float[][] atoms = new float[4][d];
    for (float[] a : atoms) {
      for (int i = 0; i < d; i++) {
        a[i] = (float) r.nextGaussian();
      }
    }
    int n = 512;
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      float s = 1 + r.nextFloat();
      for (int j = 0; j < d; j++) {
        x[i * d + j] = s * atoms[i % 4][j];
      }
    }
    Tensor data = new Tensor(new Shape(n, d), x);
    try (BatchTopKSae sae = BatchTopKSae.builder().setDictionarySize(16).setK(1).optSteps(150).optBatchSize(64)
        .optLearningRate(3e-2f).build().fit(data)) {
      BatchTopKSae.Metrics mt = sae.evaluate(data);
      assertEquals(n, mt.rows());
      assertTrue(mt.fvu() < 0.2, "FVU " + mt.fvu());
      assertTrue(mt.l0() <= 1.0 + 1e-9 && mt.l0() > 0.5, "L0 " + mt.l0());
      assertTrue(mt.deadFraction() >= 0 && mt.deadFraction() <= 12.0 / 16, "dead " + mt.deadFraction());
      assertThrows(IllegalArgumentException.class, () -> sae.evaluate(new Tensor(new Shape(2, 5), new float[10])));
    }
  }

  @Test
  void analyzerReportsEverythingAndRoundTripsJson() {
    Graph g = ModelZoo.vit(CONFIG);
    PatchModel m = PatchModel.vit(g, CONFIG);
    ImpactData data = synthetic(32, 3);
    ImpactReport r = ImpactAnalyzer.builder().optCircuit(CircuitDiscovery.builder().optSteps(5).build())
        .optSae(2, 2, 10).optAttribution(4, 0f).build().analyze("tiny", m, data);
    assertEquals(32, r.images());
    assertEquals(8 + 2, r.circuit().nodes());
    assertEquals(16, r.circuit().taskImages());
    assertEquals((double) r.circuit().activeNodes() / r.circuit().nodes(), r.circuit().activeFraction(), 1e-12);
    assertTrue(r.circuit().edges() <= r.circuit().allNodeEdges());
    assertEquals(0.0, r.blockWeightSparsity(), 0);
    assertEquals(1, r.selectivity().size());
    assertEquals("blk1_gelu", r.selectivity().get(0).layer());
    assertEquals(1, r.sae().size());
    assertEquals("blk1_add2", r.sae().get(0).layer());
    assertEquals(16, r.sae().get(0).dictionarySize());
    assertEquals(16 * 4, r.sae().get(0).trainRows()); // 16 images x 4 tokens
    assertEquals(4, r.attribution().images());
    double ins = r.attribution().insertionAuc();
    assertTrue(ins >= 0 && ins <= 1, "insertion " + ins);
    ImpactReport back = ImpactReport.fromJson(r.toJson());
    assertEquals(r.circuit().edges(), back.circuit().edges());
    assertEquals(r.sae().get(0).metrics(), back.sae().get(0).metrics());
    assertEquals(r.attribution(), back.attribution());
    assertTrue(r.toJson().contains("\"activeFraction\""));
  }

  @Test
  void badInputGetsClearErrors() {
    PatchModel m = PatchModel.vit(ModelZoo.vit(CONFIG), CONFIG);
    ImpactData data = synthetic(8, 4);
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> new ImpactData(new Tensor(new Shape(0, 4, 16), new float[0]), new int[0], 2));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    IllegalArgumentException layer = assertThrows(IllegalArgumentException.class,
        () -> NeuronSelectivity.measure(m, data, "blk9_gelu", 8));
    assertTrue(layer.getMessage().contains("layer 'blk9_gelu' not found"), layer.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ImpactAnalyzer.builder().optSaeLayers("nope").build().analyze("x", m, data));
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
        () -> ImpactAnalyzer.builder().optSae(1, 9, 10).build().analyze("x", m, data));
    assertTrue(k.getMessage().contains("dictionary size"), k.getMessage());
    float[] nan = data.patches().data().clone();
    nan[70] = Float.NaN;
    IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
        () -> new ImpactData(new Tensor(data.patches().shape(), nan), data.labels(), 2));
    assertTrue(n.getMessage().contains("image 1"), n.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> BatchTopKSae.builder().setDictionarySize(4).setK(1).build().fit(new Tensor(new Shape(1, 2),
            new float[] {1, Float.NaN})));
    assertThrows(IllegalArgumentException.class, () -> data.select(1, 5));
  }
}
