package org.prunekit.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engines the harness knows: the built-in {@code djl}, {@code ort} and {@code sparse}, every {@link Engine}
 * listed in {@code META-INF/services/org.prunekit.bench.harness.Engine} on the class path (for
 * example a sparse-kernel engine from another module), and any added with {@link #register}.
 */
public final class Engines {
  private static final Map<String, Engine> REGISTERED = new ConcurrentHashMap<>();

  private Engines() {}

  /**
   * The engine named {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the known names if none matches
   */
  public static Engine byName(String name) {
    Map<String, Engine> known = all();
    Engine e = name == null ? null : known.get(name.trim().toLowerCase(Locale.ROOT));
    if (e == null) {
      throw new IllegalArgumentException("unknown engine '" + name + "'; known engines: " + known.keySet());
    }
    return e;
  }

  /** The known engine names, sorted. */
  public static List<String> names() {
    return new ArrayList<>(all().keySet());
  }

  /** Adds (or replaces) an engine for this JVM. */
  public static void register(Engine engine) {
    REGISTERED.put(engine.name().toLowerCase(Locale.ROOT), engine);
  }

  private static Map<String, Engine> all() {
    Map<String, Engine> m = new TreeMap<>();
    m.put(DjlEngine.NAME, new DjlEngine());
    m.put(OrtEngine.NAME, new OrtEngine());
    m.put(SparseEngine.NAME, new SparseEngine());
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    for (Engine e : ServiceLoader.load(Engine.class, cl == null ? Engines.class.getClassLoader() : cl)) {
      m.put(e.name().toLowerCase(Locale.ROOT), e);
    }
    m.putAll(REGISTERED);
    return m;
  }
}
