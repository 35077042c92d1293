package org.prunekit.dynamic;

/**
 * A pluggable input-aware controller, found by {@link java.util.ServiceLoader} under a short name
 * ({@code "dance"}, {@code "probeflow"}, {@code "token-prune"}, {@code "layer-skip"}, {@code
 * "agf-route"}...). The provider describes the controller; each controller type has its own builder
 * because what it controls differs (a 3D CNN, an ODE solver, a transformer, a pair of experts).
 *
 * <p>How to add a controller:
 *
 * <ol>
 *   <li>Write the controller as a class with a builder ({@code setX} for required, {@code optX} for
 *       optional settings) that validates every setting and names the layer or value at fault.
 *   <li>Make it save real work on the execution path (smaller tensors, fewer network evaluations,
 *       skipped nodes) and return an {@link InferenceCost} per input beside its output.
 *   <li>If it changes a model's execution (hooks, gates), restore the model in a {@code finally}
 *       block so no exception leaves the model gated.
 *   <li>Implement this interface with a short {@link #name()} and list the class in {@code
 *       META-INF/services/org.prunekit.dynamic.ControllerProvider}.
 *   <li>Add a JMH benchmark in {@code pruning-bench} (dense vs controlled, with the cost counters)
 *       and its measured results in {@code docs/benchmarks.md}.
 * </ol>
 */
public interface ControllerProvider {
  /** The short name, lower case with dashes. */
  String name();

  /** One line saying what the controller skips and where its spec lives. */
  String description();

  /** The controller's main type (its builder is reached from there). */
  Class<?> controllerType();
}
