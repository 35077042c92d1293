package org.prunekit.criteria.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunekit.core.data.TokenWindows;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.Provenance;
import org.prunekit.criteria.calibration.CalibrationMode;
import org.prunekit.criteria.calibration.CalibrationSet;
import org.prunekit.criteria.calibration.SequentialResult;
import org.prunekit.criteria.pattern.NmPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pruning the real charllama-shakespeare model (skipped without the shared data). The full table
 * is {@link CharLlamaSweepTest}; these are the cheap asserted cases.
 */
class CharLlamaPruningTest {
  private static final Logger LOG = LoggerFactory.getLogger(CharLlamaPruningTest.class);

  @BeforeAll
  static void data() {
    assumeTrue(CharLlama.available(), "shared data absent");
  }

  /** The README's reproduction check: naive layer-wise magnitude at 50 % gives 1.906 nats/char. */
  @Test
  void magnitudeHalfReproducesTheReadme() {
    Graph g = CharLlama.model();
    SequentialResult r = CharLlama.prune(g, "magnitude", null, CalibrationMode.SEQUENTIAL, null);
    assertEquals(28, r.masks().size()); // 4 layers x (wq, wk, wv, wo, w1, w2, w3)
    assertEquals(4 * (4 * 64 * 64 + 3 * 64 * 192) / 2, r.report().maskedZeros());
    assertEquals(null, g.parameter("lm_head.weight").mask());
    double nll = CharLlama.nll(g, CharLlama.validation());
    LOG.info("magnitude 50% layer-wise: validation NLL {}", nll);
    assertEquals(1.906, nll, 0.01);
  }

  /**
   * Sequential SparseGPT (weight update through the pruner's reconstructor hook) at 2:4 with 16
   * calibration windows beats magnitude at 2:4 on the first 64 validation windows.
   */
  @Test
  void sequentialSparseGptBeatsMagnitudeAtTwoFour() {
    TokenWindows val = CharLlama.validation().range(0, 64);
    Graph s = CharLlama.model();
    SequentialResult r = CharLlama.prune(s, "sparsegpt", NmPattern.keep(2, 4), CalibrationMode.SEQUENTIAL,
        CharLlama.calibration(16, 0));
    assertEquals("sparsegpt", r.method());
    assertEquals(4 * (4 * 64 * 64 + 3 * 64 * 192) / 2, r.report().maskedZeros());
    Graph m = CharLlama.model();
    CharLlama.prune(m, "magnitude", NmPattern.keep(2, 4), CalibrationMode.SEQUENTIAL, null);
    double sparseGpt = CharLlama.nll(s, val);
    double magnitude = CharLlama.nll(m, val);
    LOG.info("2:4 on 64 validation windows: sparsegpt {} magnitude {}", sparseGpt, magnitude);
    assertTrue(sparseGpt < magnitude - 0.05, "sparsegpt " + sparseGpt + " vs magnitude " + magnitude);
  }

  /**
   * Sequential Wanda at 2:4 with 16 calibration windows beats magnitude at 2:4 on the first 64
   * validation windows, and its provenance records the calibration.
   */
  @Test
  void sequentialWandaBeatsMagnitudeAtTwoFour() {
    TokenWindows val = CharLlama.validation().range(0, 64);
    CalibrationSet cal = CharLlama.calibration(16, 0);
    Graph w = CharLlama.model();
    SequentialResult r = CharLlama.prune(w, "wanda", NmPattern.keep(2, 4), CalibrationMode.SEQUENTIAL, cal);
    Graph m = CharLlama.model();
    CharLlama.prune(m, "magnitude", NmPattern.keep(2, 4), CalibrationMode.SEQUENTIAL, null);
    double wanda = CharLlama.nll(w, val);
    double magnitude = CharLlama.nll(m, val);
    LOG.info("2:4 on 64 validation windows: wanda {} magnitude {}", wanda, magnitude);
    assertTrue(wanda < magnitude - 0.05, "wanda " + wanda + " vs magnitude " + magnitude);
    Provenance p = r.provenance().build();
    assertEquals(16, p.calibrationSamples());
    assertEquals(cal.sha256(), p.calibrationSha256());
    assertEquals("keep 2 of 4 (reference 2:4)", p.settings().get("pattern"));
    assertEquals("SEQUENTIAL", p.settings().get("calibration_mode"));
  }
}
