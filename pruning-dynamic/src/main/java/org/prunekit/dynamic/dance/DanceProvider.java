package org.prunekit.dynamic.dance;

import org.prunekit.dynamic.ControllerProvider;

/** Registers DANCE under the short name {@code "dance"}. */
public final class DanceProvider implements ControllerProvider {
  /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
  public DanceProvider() {}

  @Override
  public String name() {
    return "dance";
  }

  @Override
  public String description() {
    return "DANCE: per-clip frame/channel/feature gating of 3D convolutions (gathers kept frames and channels); "
        + "spec algorithms.md 3.1";
  }

  @Override
  public Class<?> controllerType() {
    return DanceRunner.class;
  }
}
