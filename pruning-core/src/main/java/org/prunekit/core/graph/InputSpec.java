package org.prunekit.core.graph;

import java.util.Objects;

/**
 * A graph input: a name and the shape of one sample (without the batch dimension).
 *
 * @param name the input's name, referenced by nodes
 * @param sampleShape shape of one sample, e.g. {@code [1, 28, 28]}
 */
public record InputSpec(String name, Shape sampleShape) {
  /** Validates the fields. */
  public InputSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sampleShape, "sampleShape");
  }
}
