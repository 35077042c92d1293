package org.prunekit.dynamic.token;

import org.prunekit.dynamic.ControllerProvider;

/** The {@code "token-prune"} controller: {@link TokenPruner}. */
public final class TokenPruneProvider implements ControllerProvider {
  /** For {@link java.util.ServiceLoader}. */
  public TokenPruneProvider() {}

  @Override
  public String name() {
    return "token-prune";
  }

  @Override
  public String description() {
    return "drops low-importance tokens (V-norm or attention-score proxy) after a chosen transformer block, so later "
        + "blocks run on a shorter sequence (algorithms.md 3.5 (f))";
  }

  @Override
  public Class<?> controllerType() {
    return TokenPruner.class;
  }
}
