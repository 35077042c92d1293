package org.prunekit.dynamic.route;

import org.prunekit.dynamic.ControllerProvider;

/** Registers {@link ExpertRouter} as controller {@code "agf-route"}. */
public final class AgfRouteProvider implements ControllerProvider {
  /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
  public AgfRouteProvider() {}

  @Override
  public String name() {
    return "agf-route";
  }

  @Override
  public String description() {
    return "AGF light/heavy routing: an AGF-pruned light expert on every input, the dense heavy expert only when the"
        + " light expert's max softmax probability (or entropy) crosses a calibrated threshold (spec 3.3)";
  }

  @Override
  public Class<?> controllerType() {
    return ExpertRouter.class;
  }
}
