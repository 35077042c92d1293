package org.prunekit.analysis.simcert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunekit.core.graph.Graph;

/**
 * Soundness against the DJL forward pass: point boxes are exact, sampled differences never leave
 * the worst-case bounds, and the probabilistic bounds are violated at most at rate δ (spec §3.7
 * test 3, 1e5 samples).
 */
class SoundnessTest {
  private static final int SAMPLES = 100_000;

  @Test
  void pointBoxesGiveTheExactDifference() {
    for (Graph f : new Graph[] {Nets.mlp(11, 6, 16, 16, 3), Nets.cnn(12)}) {
      Graph g = Nets.pruned(f, 0.5);
      DualNetwork net = DualNetwork.of(f, g);
      assertTrue(net.changedWeightUses() > 0);
      int d = net.inputSize();
      SplittableRandom r = new SplittableRandom(5);
      for (int t = 0; t < 5; t++) {
        float[] x = new float[d];
        for (int i = 0; i < d; i++) {
          x[i] = (float) (2 * r.nextDouble() - 1);
        }
        float[] exact = Nets.delta(f, g, new float[][] {x})[0];
        InputBox point = InputBox.around(x, 0, -10, 10);
        SimCertResult res = SimCert.builder().setEpsilon(0).setConfidence(0.9).optMaxDepth(0).build().certify(net, point);
        for (int j = 0; j < exact.length; j++) {
          assertEquals(exact[j], res.deterministicUpper()[j], 1e-4, "output " + j);
          assertEquals(exact[j], res.deterministicLower()[j], 1e-4, "output " + j);
        }
      }
    }
  }

  @Test
  void monteCarloOnRandomMlps() {
    double confidence = 0.9;
    double delta = 1 - confidence;
    for (long seed = 20; seed < 23; seed++) {
      Graph f = Nets.mlp(seed, 6, 16, 16, 3);
      Graph g = Nets.pruned(f, 0.5);
      InputBox box = InputBox.uniform(6, -1, 1);
      DualNetwork net = DualNetwork.of(f, g);
      SimCertResult res = SimCert.builder().setEpsilon(0.05).setConfidence(confidence).optMaxDepth(3)
          .build().certify(net, box);
      MonteCarloCheck.Samples s = MonteCarloCheck.sample(f, g, box, SAMPLES, seed);
      assertEquals(0, s.outside(res.deterministicLower(), res.deterministicUpper(), 1e-4),
          "sampled differences outside the worst-case bounds, seed " + seed);
      double rate = (double) s.outside(res.lower(), res.upper(), 0) / SAMPLES;
      assertTrue(rate <= delta + 3 * Math.sqrt(delta * (1 - delta) / SAMPLES), "violation rate " + rate);
      double[] maxAbs = s.maxAbs();
      double[] bound = res.absBound();
      for (int j = 0; j < 3; j++) {
        assertTrue(maxAbs[j] <= res.deterministicAbsBound()[j] + 1e-4);
        // the probabilistic bound is an upper bound on a 1 - δ quantile, not on the maximum;
        // it must still be at least the sampled 1 - δ/(2m) quantile, checked via the rate above
        assertTrue(bound[j] <= res.deterministicAbsBound()[j] + 1e-12);
      }
      if (res.certified()) {
        assertTrue(s.violationRate(0.05) <= delta);
      }
    }
  }

  @Test
  void bernsteinTailHoldsOnTheOutputForms() {
    // the linear upper forms of Δ: their sampled exceedance of mean + t must stay below δ'
    Graph f = Nets.mlp(30, 6, 16, 16, 3);
    Graph g = Nets.pruned(f, 0.5);
    InputBox box = InputBox.uniform(6, -1, 1);
    DeltaBounds b = DualPropagator.propagate(DualNetwork.of(f, g), box, BoundMethod.SYMBOLIC);
    double deltaPrime = 0.05;
    SplittableRandom r = new SplittableRandom(1);
    for (double[] form : b.up()) {
      double bound = Bernstein.upperBound(form, box, deltaPrime);
      int over = 0;
      for (int s = 0; s < SAMPLES; s++) {
        double v = form[6];
        for (int i = 0; i < 6; i++) {
          v += form[i] * (-1 + 2 * r.nextDouble());
        }
        over += v > bound ? 1 : 0;
      }
      assertTrue(over <= deltaPrime * SAMPLES, "exceedances " + over);
    }
  }

  @Test
  void monteCarloOnPrunedCnnWithSplitting() {
    Graph f = Nets.cnn(40);
    Graph g = Nets.pruned(f, 0.5);
    InputBox box = InputBox.uniform(64, 0, 0.5);
    SimCertResult res = SimCert.builder().setEpsilon(0.01).setConfidence(0.99).optMaxDepth(2)
        .optSplitRule(SplitRule.SMEAR).build().certify(f, g, box);
    assertTrue(res.boxesEvaluated() >= 1);
    MonteCarloCheck.Samples s = MonteCarloCheck.sample(f, g, box, 20_000, 3);
    assertEquals(0, s.outside(res.deterministicLower(), res.deterministicUpper(), 1e-4), res.summary());
    assertTrue((double) s.outside(res.lower(), res.upper(), 0) / s.size() <= 0.01 + 3 * Math.sqrt(0.01 * 0.99 / 20_000));
    double mp = s.empiricalBernsteinBound(0.01, 0.99);
    assertTrue(mp >= s.violationRate(0.01) && mp <= 1);
  }
}
