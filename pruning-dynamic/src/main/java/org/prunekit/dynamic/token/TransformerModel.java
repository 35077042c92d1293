package org.prunekit.dynamic.token;

import java.util.Objects;
import org.prunekit.core.graph.Graph;

/**
 * A transformer classifier split where token pruning needs it: an {@code encoder} graph whose one
 * output is the token sequence {@code [batch, seq, dim]}, a {@link Readout} that turns the
 * sequence into one vector per sample, and an optional {@code head} graph (input {@code [dim]})
 * applied to that vector. The readout is outside the graphs because a graph's ops read a fixed
 * number of tokens, while pruned sequences are shorter; {@link ClsVit} builds such a model.
 *
 * @param encoder the encoder graph (embedding, transformer blocks, token-wise tail)
 * @param readout how the sequence becomes one vector per sample
 * @param head the classifier graph on the readout vector, or {@code null} to return the readout
 */
public record TransformerModel(Graph encoder, Readout readout, Graph head) {
  /** How the final token sequence becomes one vector per sample. */
  public enum Readout {
    /** The first token (the class token, which token pruning always protects). */
    CLS,
    /** The mean over all (remaining) tokens. */
    MEAN
  }

  /** Validates that the encoder has one output and the head one input and one output. */
  public TransformerModel {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(readout, "readout");
    if (encoder.outputs().size() != 1) {
      throw new IllegalArgumentException(
          "encoder must have exactly one output (the token sequence), has " + encoder.outputs());
    }
    if (head != null && (head.inputs().size() != 1 || head.outputs().size() != 1)) {
      throw new IllegalArgumentException("head graph must have one input and one output, has inputs "
          + head.inputs().size() + " and outputs " + head.outputs());
    }
  }
}
