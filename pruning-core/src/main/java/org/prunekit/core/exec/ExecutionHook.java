package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.prunekit.core.graph.Node;

/**
 * A tap on graph execution, called per node. Hooks observe inputs (calibration statistics, which
 * are streamed, never stored whole) and may replace a node's output (gating for dynamic pruning).
 *
 * <p>Arrays passed in belong to the execution; a hook must not close them and must copy what it
 * wants to keep beyond the call.
 */
public interface ExecutionHook {
  /** Called with a node's inputs before it runs. */
  default void onInputs(Node node, NDList inputs) {}

  /**
   * Called with a node's output; the returned array replaces it for every consumer (return {@code
   * output} to leave it unchanged).
   */
  default NDArray onOutput(Node node, NDArray output) {
    return output;
  }
}
