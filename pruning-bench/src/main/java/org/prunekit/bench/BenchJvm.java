package org.prunekit.bench;

/**
 * The JVM options every benchmark fork runs with, as compile-time constants so that they can be
 * listed in {@code @Fork(jvmArgsAppend = {...})}.
 *
 * <p>DJL must never reach the network: {@link #DJL_OFFLINE} stops model-zoo and native downloads,
 * {@link #OPT_OUT_TRACKING} stops the start-up telemetry call. The thread counts are fixed so that
 * results from the 2-core reference machine are comparable between runs.
 */
public final class BenchJvm {
  /** DJL offline mode (no downloads). */
  public static final String DJL_OFFLINE = "-Dai.djl.offline=true";

  /** No DJL start-up telemetry. */
  public static final String OPT_OUT_TRACKING = "-DOPT_OUT_TRACKING=true";

  /** PyTorch intra-op threads: the 2 cores of the reference machine. */
  public static final String TORCH_THREADS = "-Dai.djl.pytorch.num_threads=2";

  /** PyTorch inter-op threads. */
  public static final String TORCH_INTEROP_THREADS = "-Dai.djl.pytorch.num_interop_threads=1";

  /** Keeps INFO logging (one line per pruning call) out of the measurement output. */
  public static final String QUIET_LOGGING = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

  /** A fixed heap, so that GC sizing does not drift between forks (large layers need ~2 GB). */
  public static final String HEAP_MAX = "-Xmx4g";

  /** Initial heap equal to the maximum. */
  public static final String HEAP_MIN = "-Xms4g";

  /**
   * Touches every heap page at start-up. Without it the first iterations of benchmarks that
   * allocate hundreds of MB per call measure the kernel zeroing fresh pages (seen here as 0.7 s
   * instead of 0.03 s per call), not the code.
   */
  public static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

  private BenchJvm() {}
}
