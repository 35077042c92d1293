package org.prunekit.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.prunekit.core.data.CharCorpus;
import org.prunekit.core.data.CharVocab;
import org.prunekit.core.data.TokenWindows;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.io.Llama2cCheckpoint;
import org.prunekit.core.io.Llama2cReader;
import org.prunekit.core.tensor.Tensor;

/** The charllama-shakespeare checkpoint reproduces its README's validation NLL (1.5934 nats/char). */
class NextTokenLossRealModelTest {
  static final Path SHARED = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"), "data");
  static final Path MODEL = SHARED.resolve("models/charllama-shakespeare");
  static final Path TEXT = SHARED.resolve("tinyshakespeare/input.txt");

  @Test
  void denseValidationLossMatchesTheReadme() throws IOException {
    assumeTrue(Files.isRegularFile(MODEL.resolve("charllama_shakespeare.bin")) && Files.isRegularFile(TEXT),
        "shared data absent");
    CharCorpus corpus = CharCorpus.load(TEXT, CharVocab.load(MODEL.resolve("vocab.json")), 0.9);
    assertEquals(1_115_394, corpus.length());
    assertEquals(1_003_854, corpus.train().length);
    assertEquals(111_540, corpus.validation().length);
    TokenWindows val = TokenWindows.nonOverlapping(corpus.validation(), 128);
    assertEquals(871, val.size());
    Llama2cCheckpoint ck = Llama2cReader.read(MODEL.resolve("charllama_shakespeare.bin"));
    assertEquals(217_728, ck.graph().parameters().stream()
        .filter(p -> !p.qualifiedName().equals("lm_head.weight")).mapToLong(p -> p.numel()).sum());
    // The file's RoPE tables are cos/sin(pos * 10000^(-2i/16)): the convention the attention op uses.
    Tensor cos = ck.ropeCos();
    for (int pos = 0; pos < 128; pos++) {
      for (int i = 0; i < 8; i++) {
        double angle = pos * Math.pow(10000, -2.0 * i / 16);
        assertEquals(Math.cos(angle), cos.data()[pos * 8 + i], 2e-4, "freq_cis_real[" + pos + "][" + i + "]");
        assertEquals(Math.sin(angle), ck.ropeSin().data()[pos * 8 + i], 2e-4, "freq_cis_imag[" + pos + "][" + i + "]");
      }
    }
    try (GraphExecutor ex = GraphExecutor.create(ck.graph())) {
      long t0 = System.nanoTime();
      LossResult r = NextTokenLoss.evaluate(ex, val, 128);
      LoggerFactory.getLogger(NextTokenLossRealModelTest.class).info("dense validation NLL {} over {} windows in {} s",
          r.nll(), r.windows(), (System.nanoTime() - t0) / 1e9);
      assertEquals(871L * 128, r.tokens());
      assertEquals(1.5934, r.nll(), 1e-3, "validation NLL " + r.nll());
    }
  }
}
