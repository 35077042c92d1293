package org.prunekit.dynamic.probeflow;

import org.prunekit.dynamic.ControllerProvider;

/** Registers {@link ProbeFlowSolver} under the short name {@code "probeflow"}. */
public final class ProbeFlowProvider implements ControllerProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public ProbeFlowProvider() {}

  @Override
  public String name() {
    return "probeflow";
  }

  @Override
  public String description() {
    return "adaptive Euler step count for flow-matching heads from one lookahead probe: fewer network "
        + "evaluations per action chunk (algorithms.md §3.2)";
  }

  @Override
  public Class<?> controllerType() {
    return ProbeFlowSolver.class;
  }
}
