package org.prunekit.core.exec;

import ai.djl.ndarray.NDArray;
import org.prunekit.core.graph.Parameter;

/** Supplies the engine array holding a graph parameter's current value. */
@FunctionalInterface
public interface ParameterSource {
  /** The array for {@code p}; owned by the source, not to be closed by the caller. */
  NDArray array(Parameter p);
}
