package org.prunekit.analysis.federated;

/**
 * One model transfer per round: from {@code source} to {@code destination} (client names).
 *
 * @param source sending client
 * @param destination receiving client
 */
public record Flow(String source, String destination) {
  /** Validates. */
  public Flow {
    if (source == null || destination == null) {
      throw new IllegalArgumentException("flow ends must be non-null");
    }
    if (source.equals(destination)) {
      throw new IllegalArgumentException("flow from client '" + source + "' to itself");
    }
  }
}
