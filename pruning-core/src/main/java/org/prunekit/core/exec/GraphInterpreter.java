package org.prunekit.core.exec;

import ai.djl.ndarray.NDList;
import java.util.List;
import org.prunekit.core.graph.Graph;

/**
 * Runs a {@link Graph} node by node on the DJL engine of its input arrays. The single execution
 * path used by inference (GraphExecutor) and training ({@code GraphBlock}).
 */
public final class GraphInterpreter {
  private GraphInterpreter() {}

  /**
   * Runs the graph.
   *
   * @param graph the graph
   * @param inputs one array per graph input, in {@link Graph#inputs()} order
   * @param params where parameter arrays come from
   * @param hooks hooks called for every node, in list order
   * @param training whether dropout and batch-norm run in training mode
   * @return one array per graph output, in {@link Graph#outputs()} order
   */
  public static NDList run(
      Graph graph, NDList inputs, ParameterSource params, List<ExecutionHook> hooks, boolean training) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
