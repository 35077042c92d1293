package org.prunekit.core.exec;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts DJL into the mode every PruneKit entry point needs: offline, without telemetry, on the
 * PyTorch engine.
 *
 * <p>DJL 0.36 decides both switches from an environment variable first and a system property
 * second ({@code ai.djl.util.Utils.isOfflineMode} reads {@code DJL_OFFLINE}, then {@code
 * ai.djl.offline}, then {@code offline}; {@code ai.djl.util.Ec2Utils.callHome} skips its call when
 * {@code OPT_OUT_TRACKING} is true as environment variable or system property). {@link
 * #ensureOffline()} sets the two system properties when they are unset; an environment variable
 * set to {@code false} still wins over them, which is logged as a warning.
 */
public final class DjlEnvironment {
  /** The DJL engine name PruneKit executes on. */
  public static final String ENGINE = "PyTorch";
  /** System property DJL reads for offline mode (after the {@code DJL_OFFLINE} variable). */
  public static final String OFFLINE_PROPERTY = "ai.djl.offline";
  /** Property and variable DJL reads to skip its start-up telemetry call. */
  public static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

  private static final Logger LOG = LoggerFactory.getLogger(DjlEnvironment.class);
  private static volatile boolean warned;

  private DjlEnvironment() {}

  /**
   * Sets {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} as system properties where
   * they are not set yet. Values set explicitly are kept. Idempotent and cheap (two property reads); call it before the first use of a DJL engine.
   */
  public static void ensureOffline() {
    setIfUnset(OFFLINE_PROPERTY);
    setIfUnset(OPT_OUT_TRACKING);
    if (!warned) {
      warned = true;
      warnIfEnvironmentDisables("DJL_OFFLINE");
      warnIfEnvironmentDisables(OPT_OUT_TRACKING);
    }
  }

  /**
   * The PyTorch engine, after {@link #ensureOffline()}.
   *
   * @throws IllegalStateException if the PyTorch engine is not on the class path
   */
  public static Engine engine() {
    ensureOffline();
    try {
      return Engine.getEngine(ENGINE);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "DJL engine '" + ENGINE + "' is not available; add ai.djl.pytorch:pytorch-engine and its native jars", e);
    }
  }

  /**
   * A new base manager of the PyTorch engine (CPU). The caller owns and must close it.
   *
   * @return a new root manager
   */
  public static NDManager newManager() {
    return engine().newBaseManager();
  }

  private static void setIfUnset(String key) {
    String v = System.getProperty(key);
    if (v == null) {
      System.setProperty(key, "true");
    } else if (!Boolean.parseBoolean(v) && !warned) {
      LOG.warn("system property {}={} was set explicitly; DJL may try to reach the network", key, v);
    }
  }

  private static void warnIfEnvironmentDisables(String variable) {
    String v = System.getenv(variable);
    if (v != null && !Boolean.parseBoolean(v)) {
      LOG.warn("environment variable {}={} overrides the system property; DJL may try to reach the network", variable, v);
    }
  }
}
