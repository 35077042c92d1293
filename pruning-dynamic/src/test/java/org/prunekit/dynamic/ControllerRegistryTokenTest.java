package org.prunekit.dynamic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.prunekit.dynamic.skip.LayerSkipper;
import org.prunekit.dynamic.token.TokenPruner;

class ControllerRegistryTokenTest {
  @Test
  void tokenAndSkipControllersAreFoundByName() {
    assertEquals(TokenPruner.class, Controllers.byName("token-prune").controllerType());
    assertEquals(LayerSkipper.class, Controllers.byName("layer-skip").controllerType());
  }
}
