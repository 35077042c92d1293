package org.prunekit.core.io;

import java.util.Objects;
import org.prunekit.core.graph.Graph;
import org.prunekit.core.tensor.Tensor;

/**
 * A llama2.c checkpoint read by {@link Llama2cReader}: the header, the graph, and the legacy RoPE
 * tables stored in the file (not used by the graph, whose attention kernel computes its own; kept
 * so the convention can be checked against them).
 *
 * @param config the header
 * @param graph the model graph (input {@link Llama2cReader#INPUT}, output {@link
 *     Llama2cReader#LM_HEAD} logits)
 * @param ropeCos {@code freq_cis_real [seqLen, headSize/2]}: {@code cos(pos * theta_i)}
 * @param ropeSin {@code freq_cis_imag [seqLen, headSize/2]}: {@code sin(pos * theta_i)}
 */
public record Llama2cCheckpoint(Llama2cConfig config, Graph graph, Tensor ropeCos, Tensor ropeSin) {
  /** Checks that nothing is null. */
  public Llama2cCheckpoint {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(ropeCos, "ropeCos");
    Objects.requireNonNull(ropeSin, "ropeSin");
  }
}
