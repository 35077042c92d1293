package org.prunekit.core.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A character-level text corpus encoded with a {@link CharVocab}, split by character position into
 * a training prefix and a validation suffix (the nanoGPT {@code shakespeare_char} convention:
 * train = the first {@code floor(0.9 n)} characters, validation = the rest).
 *
 * <pre>{@code
 * CharCorpus c = CharCorpus.load(Path.of("tinyshakespeare/input.txt"), CharVocab.load(vocabJson), 0.9);
 * TokenWindows val = TokenWindows.nonOverlapping(c.validation(), 128);   // 871 windows
 * }</pre>
 */
public final class CharCorpus {
  /** The conventional training fraction. */
  public static final double DEFAULT_TRAIN_FRACTION = 0.9;

  private final CharVocab vocab;
  private final int[] tokens;
  private final int trainLength;

  /**
   * Encodes {@code text} and splits it.
   *
   * @throws IllegalArgumentException if the fraction is not in (0, 1), a split would be empty, or a
   *     character is not in the vocabulary
   */
  public CharCorpus(String text, CharVocab vocab, double trainFraction) {
    this.vocab = Objects.requireNonNull(vocab, "vocab");
    if (!(trainFraction > 0 && trainFraction < 1)) {
      throw new IllegalArgumentException("train fraction must be in (0, 1), got " + trainFraction);
    }
    this.tokens = vocab.encode(Objects.requireNonNull(text, "text"));
    this.trainLength = (int) Math.floor(tokens.length * trainFraction);
    if (trainLength == 0 || trainLength == tokens.length) {
      throw new IllegalArgumentException("a text of " + tokens.length + " characters split at " + trainFraction
          + " leaves an empty split");
    }
  }

  /** Reads a UTF-8 text file and splits it. */
  public static CharCorpus load(Path text, CharVocab vocab, double trainFraction) throws IOException {
    return new CharCorpus(Files.readString(text, StandardCharsets.UTF_8), vocab, trainFraction);
  }

  /** The vocabulary. */
  public CharVocab vocab() {
    return vocab;
  }

  /** Number of characters. */
  public int length() {
    return tokens.length;
  }

  /** The training split (a copy). */
  public int[] train() {
    return Arrays.copyOfRange(tokens, 0, trainLength);
  }

  /** The validation split (a copy). */
  public int[] validation() {
    return Arrays.copyOfRange(tokens, trainLength, tokens.length);
  }
}
