package org.prunekit.core.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps DJL from opening network connections. Must run before the first DJL engine access.
 *
 * <p>What DJL 0.36 actually reads (checked in the bytecode of {@code ai.djl.util.Utils} and
 * {@code ai.djl.util.Ec2Utils}):
 *
 * <ul>
 *   <li>{@code Utils.isOfflineMode()} reads the environment variable {@code DJL_OFFLINE}, falling
 *       back to the system property {@code ai.djl.offline} (then to {@code offline}). Offline mode
 *       stops model-zoo and native-library downloads.
 *   <li>{@code Ec2Utils.callHome(engine)} (start-up telemetry, which first queries the EC2 metadata
 *       address 169.254.169.254) returns at once when offline mode is on or when {@code
 *       Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING")} is {@code true}: the environment variable
 *       first, then a system property of the same name.
 * </ul>
 *
 * Environment variables win over system properties, so an explicit {@code DJL_OFFLINE=false} in
 * the environment cannot be overridden here; that case is logged.
 */
final class Offline {
  private static final Logger LOG = LoggerFactory.getLogger(Offline.class);

  /** The system property read by {@code ai.djl.util.Utils.isOfflineMode()}. */
  static final String OFFLINE_PROPERTY = "ai.djl.offline";

  /** The name (environment variable or system property) read by {@code Ec2Utils.callHome}. */
  static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

  private Offline() {}

  /** Sets {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} unless already set. */
  static synchronized void ensure() {
    if (System.getProperty(OFFLINE_PROPERTY) == null) {
      System.setProperty(OFFLINE_PROPERTY, "true");
    }
    if (System.getProperty(OPT_OUT_TRACKING) == null) {
      System.setProperty(OPT_OUT_TRACKING, "true");
    }
    String envOffline = System.getenv("DJL_OFFLINE");
    if (envOffline != null && !Boolean.parseBoolean(envOffline)) {
      LOG.warn("environment variable DJL_OFFLINE={} overrides {}; DJL is not in offline mode",
          envOffline, OFFLINE_PROPERTY);
    }
  }
}
