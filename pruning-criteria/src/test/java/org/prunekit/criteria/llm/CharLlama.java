package org.prunekit.criteria.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prunekit.core.data.CharCorpus;
import org.prunekit.core.data.CharVocab;
import org.prunekit.core.data.TokenWindows;
import org.prunekit.core.eval.NextTokenLoss;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.Llama2cReader;
import org.prunekit.criteria.Scope;
import org.prunekit.criteria.calibration.CalibrationMode;
import org.prunekit.criteria.calibration.CalibrationSet;
import org.prunekit.criteria.calibration.SequentialResult;
import org.prunekit.criteria.pattern.NmPattern;

/**
 * The charllama-shakespeare model and Tiny Shakespeare data from the shared directory, loaded once,
 * and the pruning recipe of docs/llm.md.
 */
final class CharLlama {
  static final Path SHARED = Path.of(System.getProperty("prunekit.shared.dir", "/nonexistent"), "data");
  static final Path MODEL_DIR = SHARED.resolve("models/charllama-shakespeare");
  static final Path MODEL = MODEL_DIR.resolve("charllama_shakespeare.bin");
  static final Path TEXT = SHARED.resolve("tinyshakespeare/input.txt");
  static final int SEQ = 128;
  static final int EVAL_BATCH = 64;

  private static CharCorpus corpus;

  private CharLlama() {}

  static boolean available() {
    return Files.isRegularFile(MODEL) && Files.isRegularFile(TEXT) && Files.isRegularFile(MODEL_DIR.resolve("vocab.json"));
  }

  static synchronized CharCorpus corpus() {
    if (corpus == null) {
      try {
        corpus = CharCorpus.load(TEXT, CharVocab.load(MODEL_DIR.resolve("vocab.json")), CharCorpus.DEFAULT_TRAIN_FRACTION);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return corpus;
  }

  /** A fresh copy of the dense model. */
  static Graph model() {
    try {
      return Llama2cReader.read(MODEL).graph();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 871 non-overlapping validation windows. */
  static TokenWindows validation() {
    return TokenWindows.nonOverlapping(corpus().validation(), SEQ);
  }

  /** 128 random 128-char windows of the training split, seed 0 (Wanda's defaults). */
  static CalibrationSet calibration(int samples, long seed) {
    return CalibrationSet.randomWindows(corpus().train(), SEQ, samples, seed);
  }

  static double nll(Graph g, TokenWindows windows) {
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      return NextTokenLoss.evaluate(ex, windows, EVAL_BATCH).nll();
    }
  }

  /**
   * Prunes wq/wk/wv/wo/w1/w2/w3 of every layer (not embedding, not classifier). Unstructured: 50 %,
   * magnitude and RIA per layer (tensor), Wanda per output row (each criterion's reference scope).
   * N:M: 2 kept of every 4 per row. {@code "sparsegpt"} runs SparseGptReconstructor (block
   * 128, percdamp 0.01) through the same pruner, updating the surviving weights ({@link LlmPruning}).
   */
  static SequentialResult prune(Graph g, String criterion, NmPattern nm, CalibrationMode mode, CalibrationSet cal) {
    return prune(g, criterion, nm, mode, cal, null);
  }

  /** As above with an explicit scope for the unstructured case ({@code null}: the defaults above). */
  static SequentialResult prune(Graph g, String criterion, NmPattern nm, CalibrationMode mode, CalibrationSet cal,
      Scope scope) {
    return LlmPruning.prune(g, criterion, 0.5, nm, scope, mode, cal);
  }
}
