package org.prunekit.criteria;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link Criterion} implementations through {@link ServiceLoader} ({@code
 * META-INF/services/org.prunekit.criteria.Criterion}) by short name, with the fully qualified
 * class name as a fallback. Each lookup creates fresh instances.
 */
public final class Criteria {
  private static final Logger LOG = LoggerFactory.getLogger(Criteria.class);

  private Criteria() {}

  /**
   * The criterion with short name {@code name} (case-insensitive), or, if {@code name} is the fully
   * qualified name of a public class implementing {@link Criterion} with a public no-argument
   * constructor, a new instance of it.
   *
   * @throws IllegalArgumentException listing the known short names if nothing matches
   */
  public static Criterion byName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("criterion name is empty; known criteria: " + names());
    }
    Map<String, Criterion> known = discover();
    Criterion c = known.get(name.trim().toLowerCase(Locale.ROOT));
    if (c != null) {
      return c;
    }
    if (name.contains(".")) {
      return byClassName(name.trim(), known);
    }
    throw new IllegalArgumentException("unknown criterion '" + name + "'; known criteria: " + known.keySet()
        + " (or give the fully qualified name of a class implementing " + Criterion.class.getName() + ")");
  }

  /** The short names of every registered criterion, sorted. */
  public static List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(discover().keySet()));
  }

  /** A fresh instance of every registered criterion, sorted by name. */
  public static List<Criterion> all() {
    return List.copyOf(discover().values());
  }

  private static Map<String, Criterion> discover() {
    Map<String, Criterion> found = new TreeMap<>();
    ServiceLoader<Criterion> loader = ServiceLoader.load(Criterion.class, loaderFor());
    for (ServiceLoader.Provider<Criterion> p : loader.stream().toList()) {
      Criterion c;
      try {
        c = p.get();
      } catch (ServiceConfigurationError e) {
        LOG.warn("skipping criterion provider {}: {}", p.type().getName(), e.getMessage());
        continue;
      }
      String key = c.name().toLowerCase(Locale.ROOT);
      Criterion prev = found.putIfAbsent(key, c);
      if (prev != null && prev.getClass() != c.getClass()) {
        LOG.warn("criterion name '{}' is claimed by {} and {}; keeping the first", key, prev.getClass().getName(),
            c.getClass().getName());
      }
    }
    return found;
  }

  private static ClassLoader loaderFor() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return cl != null ? cl : Criteria.class.getClassLoader();
  }

  private static Criterion byClassName(String className, Map<String, Criterion> known) {
    Class<?> cls;
    try {
      cls = Class.forName(className, true, loaderFor());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("unknown criterion '" + className + "': no such class; known criteria: "
          + known.keySet(), e);
    }
    if (!Criterion.class.isAssignableFrom(cls)) {
      throw new IllegalArgumentException("class '" + className + "' does not implement " + Criterion.class.getName()
          + "; known criteria: " + known.keySet());
    }
    try {
      return (Criterion) cls.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot instantiate criterion class '" + className
          + "' (it needs a public no-argument constructor): " + e, e);
    }
  }
}
