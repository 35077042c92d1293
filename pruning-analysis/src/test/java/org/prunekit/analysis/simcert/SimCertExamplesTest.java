package org.prunekit.analysis.simcert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.graph.GraphBuilder;
import org.prunekit.core.graph.op.Linear;
import org.prunekit.core.tensor.Tensor;

/** Hand-computed certificates (spec §3.7 tests 1, 2 and 4). */
class SimCertExamplesTest {
  private static Graph linear100(float w) {
    float[] weight = new float[100];
    Arrays.fill(weight, w);
    return GraphBuilder.create(0).input("x", 100)
        .node("fc", new Linear(100, 1, false), Map.of("weight", Tensor.of(weight, 1, 100)), "x").build();
  }

  @Test
  void specHandExampleThroughTheWholePipeline() {
    // f = 0.1 Σ x_i, g = f with every weight pruned, so Δ = 0.1 Σ x_i on [0,1]^100;
    // m = 1 and δ = 0.1 give δ' = δ / (2m) = 0.05, as in the spec's example
    Graph f = linear100(0.1f);
    Graph g = f.copy();
    g.parameter("fc.weight").setMask(Tensor.zeros(g.parameter("fc.weight").shape()));
    InputBox box = InputBox.uniform(100, 0, 1);
    SimCertResult r = SimCert.builder().setEpsilon(6).setConfidence(0.9).optMaxDepth(0).build().certify(f, g, box);
    assertEquals(5.758, r.upper()[0], 1e-3, "Bernstein bound of the spec");
    assertEquals(5 - 0.7583, r.lower()[0], 1e-3);
    assertEquals(10.0, r.deterministicUpper()[0], 1e-5, "worst case");
    assertEquals(0.0, r.deterministicLower()[0], 1e-5);
    assertTrue(r.certified());
    assertEquals(5.758, r.certifiedEpsilon(), 1e-3);
    SimCertResult tight = SimCert.builder().setEpsilon(5.7).setConfidence(0.9).optMaxDepth(0).build()
        .certify(f, g, box);
    assertFalse(tight.certified());
    assertEquals(1, tight.uncertifiedLeaves());
    // interval propagation alone has no variance to exploit: it reports the worst case
    SimCertResult ibp = SimCert.builder().setEpsilon(6).setConfidence(0.9).optMaxDepth(0)
        .optMethod(BoundMethod.INTERVAL).build().certify(f, g, box);
    assertFalse(ibp.certified());
    assertEquals(10.0, ibp.upper()[0], 1e-5);
  }

  @Test
  void identicalNetworksCertifyAtEpsilonZero() {
    for (Graph f : new Graph[] {Nets.mlp(1, 5, 12, 12, 4), Nets.cnn(2)}) {
      InputBox box = InputBox.uniform(Math.toIntExact(f.inputs().get(0).sampleShape().size()), -1, 1);
      SimCertResult r = SimCert.builder().setEpsilon(0).setConfidence(0.999).build().certify(f, f.copy(), box);
      assertTrue(r.certified(), r.summary());
      assertEquals(0.0, r.certifiedEpsilon(), 0.0);
      assertEquals(0.0, r.deterministicEpsilon(), 0.0);
      assertEquals(1, r.boxesEvaluated());
      assertEquals(0, r.splits());
    }
  }

  @Test
  void prunedNeuronWithZeroOutgoingWeightsGivesZeroDifference() {
    // spec test 4: hidden neuron 2 of fc1 has no outgoing weight; pruning its incoming row changes nothing
    Graph f = Nets.mlp(3, 4, 6, 3);
    float[] w2 = f.parameter("fc2.weight").value().data();
    for (int o = 0; o < 3; o++) {
      w2[o * 6 + 2] = 0f;
    }
    Graph g = f.copy();
    float[] mask = new float[6 * 4];
    Arrays.fill(mask, 1f);
    Arrays.fill(mask, 2 * 4, 3 * 4, 0f);
    g.parameter("fc1.weight").setMask(Tensor.of(mask, 6, 4));
    SimCertResult r = SimCert.builder().setEpsilon(0).setConfidence(0.99).build()
        .certify(f, g, InputBox.uniform(4, -2, 2));
    assertTrue(r.certified(), r.summary());
    assertArrayEquals(new double[3], r.deterministicAbsBound(), 0.0);
  }

  @Test
  void reluDifferenceBoundsByHand() {
    // f = relu(x), g = relu(0.5 x) on x in [-1, 1]: Δ = 0.5 relu(x) in [0, 0.5].
    // Δz = 0.5 x in [-0.5, 0.5]; the ReLU-difference relaxation gives up 0.25 x + 0.25 <= 0.5 and
    // the lower bound max(min(0, -0.5), l_hf - u_hg = 0 - 0.5) = -0.5.
    Graph f = GraphBuilder.create(0).input("x", 1)
        .node("fc", new Linear(1, 1, false), Map.of("weight", Tensor.of(new float[] {1f}, 1, 1)), "x").relu().build();
    Graph g = f.copy();
    g.parameter("fc.weight").value().data()[0] = 0.5f;
    SimCertResult r = SimCert.builder().setEpsilon(0.5).setConfidence(0.9).optMaxDepth(0).build()
        .certify(f, g, InputBox.uniform(1, -1, 1));
    assertEquals(0.5, r.deterministicUpper()[0], 1e-12);
    assertEquals(-0.5, r.deterministicLower()[0], 1e-12);
    assertTrue(r.certified());
    // splitting at 0 makes both halves exact: [-1,0] gives Δ = 0, [0,1] gives Δ = 0.5 x in [0, 0.5]
    SimCertResult s = SimCert.builder().setEpsilon(0.49).setConfidence(0.9).optMaxDepth(1).build()
        .certify(f, g, InputBox.uniform(1, -1, 1));
    assertEquals(1, s.splits());
    assertEquals(3, s.boxesEvaluated());
    assertEquals(0.0, s.deterministicLower()[0], 1e-12);
    assertEquals(0.5, s.deterministicUpper()[0], 1e-12);
  }
}
