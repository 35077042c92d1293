package org.prunekit.core.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class DjlEnvironmentTest {

  @Test
  void setsUnsetPropertiesAndKeepsExplicitOnes() {
    String offline = System.getProperty(DjlEnvironment.OFFLINE_PROPERTY);
    String tracking = System.getProperty(DjlEnvironment.OPT_OUT_TRACKING);
    try {
      System.clearProperty(DjlEnvironment.OFFLINE_PROPERTY);
      System.setProperty(DjlEnvironment.OPT_OUT_TRACKING, "false");
      DjlEnvironment.ensureOffline();
      assertEquals("true", System.getProperty(DjlEnvironment.OFFLINE_PROPERTY));
      assertEquals("false", System.getProperty(DjlEnvironment.OPT_OUT_TRACKING), "explicit values are kept");
      System.clearProperty(DjlEnvironment.OPT_OUT_TRACKING);
      DjlEnvironment.ensureOffline();
      assertEquals("true", System.getProperty(DjlEnvironment.OPT_OUT_TRACKING));
      assertTrue(ai.djl.util.Utils.isOfflineMode(), "DJL itself reports offline mode");
    } finally {
      restore(DjlEnvironment.OFFLINE_PROPERTY, offline);
      restore(DjlEnvironment.OPT_OUT_TRACKING, tracking);
    }
  }

  @Test
  void managerIsPyTorchAndComputes() {
    try (NDManager m = DjlEnvironment.newManager()) {
      assertEquals("PyTorch", m.getEngine().getEngineName());
      NDArray a = m.create(new float[] {1, 2, 3});
      assertArrayEquals(new float[] {2, 4, 6}, a.mul(2).toFloatArray());
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
