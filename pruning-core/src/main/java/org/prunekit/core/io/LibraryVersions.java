package org.prunekit.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Versions of PruneKit and its engines, found without starting any engine: PruneKit's from a
 * resource filtered at build time, DJL's from the {@code ai.djl.engine.Engine} package manifest
 * (or DJL's {@code api.properties}), ND4J's from its Maven {@code pom.properties}.
 */
public final class LibraryVersions {
  /** Reported when a version cannot be found (library absent or repackaged). */
  public static final String UNKNOWN = "unknown";

  private LibraryVersions() {}

  /** PruneKit's version. */
  public static String prunekit() {
    return property("/org/prunekit/core/prunekit-version.properties", "version");
  }

  /** The DJL API version, read without initialising the engine. */
  public static String djl() {
    try {
      Class<?> engine = Class.forName("ai.djl.engine.Engine", false, LibraryVersions.class.getClassLoader());
      String v = engine.getPackage() == null ? null : engine.getPackage().getSpecificationVersion();
      if (v != null) {
        return v;
      }
      try (InputStream in = engine.getResourceAsStream("api.properties")) {
        return load(in, "djl_version");
      }
    } catch (ClassNotFoundException | IOException e) {
      return UNKNOWN;
    }
  }

  /** The ND4J version. */
  public static String nd4j() {
    return property("/META-INF/maven/org.nd4j/nd4j-api/pom.properties", "version");
  }

  /** The running Java version. */
  public static String java() {
    return System.getProperty("java.version", UNKNOWN);
  }

  private static String property(String resource, String key) {
    try (InputStream in = LibraryVersions.class.getResourceAsStream(resource)) {
      return load(in, key);
    } catch (IOException e) {
      return UNKNOWN;
    }
  }

  private static String load(InputStream in, String key) throws IOException {
    if (in == null) {
      return UNKNOWN;
    }
    Properties p = new Properties();
    p.load(in);
    String v = p.getProperty(key);
    return v == null || v.isBlank() || v.startsWith("${") ? UNKNOWN : v.trim();
  }
}
