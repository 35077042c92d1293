package org.prunekit.dynamic.skip;

import org.prunekit.dynamic.ControllerProvider;

/** The {@code "layer-skip"} controller: {@link LayerSkipper}. */
public final class LayerSkipProvider implements ControllerProvider {
  /** For {@link java.util.ServiceLoader}. */
  public LayerSkipProvider() {}

  @Override
  public String name() {
    return "layer-skip";
  }

  @Override
  public String description() {
    return "skips the transformer blocks with the lowest 1 - cos(input, output), re-scored every period calls "
        + "(algorithms.md 3.5 (c))";
  }

  @Override
  public Class<?> controllerType() {
    return LayerSkipper.class;
  }
}
