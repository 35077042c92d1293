package org.prunekit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.prunekit.core.data.CharCorpus;
import org.prunekit.core.data.CharVocab;
import org.prunekit.core.data.TokenWindows;
import org.prunekit.core.eval.LossResult;
import org.prunekit.core.eval.NextTokenLoss;
import org.prunekit.core.exec.GraphExecutor;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.io.Llama2cReader;

/**
 * A llama2.c character model and its text for {@code eval --llama2c} and {@code prune --llama2c}:
 * the checkpoint ({@link Llama2cReader}), the character vocabulary ({@code vocab.json} beside the
 * model unless given), the corpus split 90 % train / 10 % validation ({@link CharCorpus}) and the
 * validation loss over non-overlapping windows ({@link NextTokenLoss}), as in docs/llm.md.
 */
final class Llama2cFiles {
  /** The window length of docs/llm.md. */
  static final int DEFAULT_SEQ = 128;

  final Path model;
  final int seq;
  final CharCorpus corpus;

  private Llama2cFiles(Path model, int seq, CharCorpus corpus) {
    this.model = model;
    this.seq = seq;
    this.corpus = corpus;
  }

  /**
   * Checks the files and loads the corpus.
   *
   * @param seq window length, or null for {@code min(128, seq_len)} of the checkpoint
   */
  static Llama2cFiles open(Path model, Path text, Path vocab, Integer seq) throws IOException {
    if (!Files.isRegularFile(model)) {
      throw new IllegalArgumentException("llama2.c model file not found: " + model);
    }
    if (text == null) {
      throw new IllegalArgumentException("--llama2c needs --text FILE (the corpus; the last 10 % is the validation split)");
    }
    if (!Files.isRegularFile(text)) {
      throw new IllegalArgumentException("text file not found: " + text);
    }
    Path v = vocab != null ? vocab : model.toAbsolutePath().resolveSibling("vocab.json");
    if (!Files.isRegularFile(v)) {
      throw new IllegalArgumentException("vocabulary not found: " + v + " (give --vocab vocab.json with {\"chars\": [...]})");
    }
    int headerSeq = Llama2cReader.readConfig(model).seqLen();
    int s = seq != null ? seq : Math.min(DEFAULT_SEQ, headerSeq);
    CharCorpus c = CharCorpus.load(text, CharVocab.load(v), CharCorpus.DEFAULT_TRAIN_FRACTION);
    return new Llama2cFiles(model, s, c);
  }

  /** A fresh graph of the checkpoint with input length {@link #seq}. */
  Graph graph() throws IOException {
    return Llama2cReader.read(model, seq).graph();
  }

  /** The non-overlapping validation windows, the first {@code limit} of them if given. */
  TokenWindows validation(Integer limit) {
    TokenWindows w = TokenWindows.nonOverlapping(corpus.validation(), seq);
    if (limit != null) {
      if (limit < 1) {
        throw new IllegalArgumentException("--windows must be >= 1, got " + limit);
      }
      w = w.range(0, Math.min(limit, w.size()));
    }
    return w;
  }

  /** The mean next-character NLL of {@code g} on {@code windows}. */
  static LossResult loss(Graph g, TokenWindows windows, int batch) {
    try (GraphExecutor ex = GraphExecutor.create(g)) {
      return NextTokenLoss.evaluate(ex, windows, batch);
    }
  }

  /** One line: nats/char, bits/char, perplexity, windows. */
  static String describe(LossResult r) {
    return String.format(Locale.ROOT, "%.4f nats/char (%.4f bits/char, perplexity %.3f; %d windows, %d predicted chars)",
        r.nll(), r.bits(), r.perplexity(), r.windows(), r.tokens());
  }
}
