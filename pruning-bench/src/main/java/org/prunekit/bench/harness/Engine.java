package org.prunekit.bench.harness;

import org.prunekit.core.graph.Graph;

/**
 * An execution engine whose forward-pass latency the harness measures. Implementations must be
 * thread-safe to create probes from, and cheap to construct (heavy start-up belongs in {@link #open}).
 */
public interface Engine {
  /** The short name used on the command line and in reports, lower case, e.g. {@code "djl"}. */
  String name();

  /** A human-readable description with the engine's version, e.g. {@code "ONNX Runtime 1.21.1"}. */
  String description();

  /** The engine library's version, or {@code "unknown"}. */
  String version();

  /**
   * Prepares {@code graph} (with its masks applied) for repeated forward passes. The graph is read
   * now; later changes to it are not seen by the probe.
   *
   * @param graph a graph with exactly one input and one output
   * @param threads intra-op threads the engine should use, or 0 for the engine's default
   * @return a probe owning the engine's native resources; close it after use
   * @throws IllegalArgumentException if the engine cannot run this graph (naming why)
   */
  LatencyProbe open(Graph graph, int threads);
}
