package org.prunekit.criteria;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.prunekit.core.exec.OneDnnSwitch;

/**
 * JUnit extension for test classes that compute convolution gradients: switches PyTorch's oneDNN
 * convolutions off before the class and back on after it. libtorch 2.7.1's oneDNN conv backward
 * sporadically returns NaN gradients on AVX-512 CPUs for some channel counts (see {@link
 * OneDnnSwitch} and docs/core.md); a NaN Taylor score then fails a test that is not about oneDNN.
 * Forward passes are unaffected, and the switch is process-wide, hence the restore.
 */
public final class OneDnnOff implements BeforeAllCallback, AfterAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    OneDnnSwitch.disable();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    OneDnnSwitch.enable();
  }
}
