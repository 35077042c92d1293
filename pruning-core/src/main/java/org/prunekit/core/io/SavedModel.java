package org.prunekit.core.io;

import java.util.Objects;
import org.prunekit.core.graph.Graph;

/**
 * A model read by {@link ModelFormat#load}: the complete graph (values and masks) and how it was
 * produced.
 *
 * @param graph the graph, parameters and masks assigned
 * @param provenance the provenance record, or {@code null} if the model was saved without one
 */
public record SavedModel(Graph graph, Provenance provenance) {
  /** Validates the graph is present. */
  public SavedModel {
    Objects.requireNonNull(graph, "graph");
  }
}
