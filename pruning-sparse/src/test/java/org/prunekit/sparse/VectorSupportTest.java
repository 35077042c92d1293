package org.prunekit.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VectorSupportTest {
  @Test
  void detectsTheModuleSurefireAdds() {
    boolean inBootLayer = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    boolean disabled = "false".equalsIgnoreCase(System.getProperty("prunekit.sparse.vector"));
    // pruning-sparse's surefire argLine adds the module, so this runs the vector kernels in the build.
    assertTrue(inBootLayer, "surefire should start the test JVM with --add-modules jdk.incubator.vector");
    assertEquals(inBootLayer && !disabled, VectorSupport.available());
    if (VectorSupport.available()) {
      assertTrue(VectorSupport.preferredLanes() >= 4, "lanes " + VectorSupport.preferredLanes());
      assertEquals(KernelMode.VECTOR, VectorSupport.resolve(KernelMode.AUTO));
    }
    assertEquals(KernelMode.SCALAR, VectorSupport.resolve(KernelMode.SCALAR));
  }
}
