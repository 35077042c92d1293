package org.prunekit.sparse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at run time whether the Vector API kernels can be used.
 *
 * <p>{@code jdk.incubator.vector} is an incubator module: it is only resolved when the JVM starts
 * with {@code --add-modules jdk.incubator.vector}. The class holding the vector kernels is loaded
 * only after this check passes, so the module runs (with scalar kernels) without it. Setting the
 * system property {@code prunekit.sparse.vector=false} forces the scalar kernels.
 */
public final class VectorSupport {
  private static final Logger LOG = LoggerFactory.getLogger(VectorSupport.class);
  private static final boolean AVAILABLE = detect();

  private VectorSupport() {}

  /** True if the vector kernels can run in this JVM. */
  public static boolean available() {
    return AVAILABLE;
  }

  /**
   * The preferred vector width in float lanes (for example 16 with AVX-512), or 1 without the
   * Vector API.
   */
  public static int preferredLanes() {
    return AVAILABLE ? VectorKernels.wideLanes() : 1;
  }

  /** Resolves {@code mode} to {@link KernelMode#VECTOR} or {@link KernelMode#SCALAR}. */
  static KernelMode resolve(KernelMode mode) {
    switch (mode) {
      case SCALAR:
        return KernelMode.SCALAR;
      case VECTOR:
        if (!AVAILABLE) {
          throw new IllegalStateException("KernelMode.VECTOR requested but the Vector API is not available: start the JVM "
              + "with --add-modules jdk.incubator.vector (and do not set prunekit.sparse.vector=false)");
        }
        return KernelMode.VECTOR;
      default:
        return AVAILABLE ? KernelMode.VECTOR : KernelMode.SCALAR;
    }
  }

  private static boolean detect() {
    if ("false".equalsIgnoreCase(System.getProperty("prunekit.sparse.vector"))) {
      LOG.info("sparse kernels: Vector API disabled by prunekit.sparse.vector=false, using scalar kernels");
      return false;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      LOG.info("sparse kernels: jdk.incubator.vector not in the boot layer (add --add-modules jdk.incubator.vector), "
          + "using scalar kernels");
      return false;
    }
    try {
      int lanes = VectorKernels.wideLanes();
      LOG.debug("sparse kernels: Vector API with {} float lanes", lanes);
      return lanes >= 2;
    } catch (LinkageError e) {
      LOG.info("sparse kernels: Vector API failed to load ({}), using scalar kernels", e.toString());
      return false;
    }
  }
}
