package org.prunekit.criteria.structured;

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
 * Finds {@link GroupImportance} implementations through {@link ServiceLoader} ({@code
 * META-INF/services/org.prunekit.criteria.structured.GroupImportance}) by short name, with the
 * fully qualified class name as a fallback. Built in: {@code l1}, {@code l2}, {@code bn-scale},
 * {@code taylor}, {@code random}.
 */
public final class GroupImportances {
  private static final Logger LOG = LoggerFactory.getLogger(GroupImportances.class);

  private GroupImportances() {}

  /**
   * The importance with short name {@code name} (case-insensitive), or a new instance of the public
   * class of that fully qualified name.
   *
   * @throws IllegalArgumentException listing the known names if nothing matches
   */
  public static GroupImportance byName(String name) {
    Map<String, GroupImportance> known = discover();
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("group importance name is empty; known: " + known.keySet());
    }
    GroupImportance g = known.get(name.trim().toLowerCase(Locale.ROOT));
    if (g != null) {
      return g;
    }
    if (name.contains(".")) {
      try {
        Class<?> cls = Class.forName(name.trim(), true, loader());
        if (GroupImportance.class.isAssignableFrom(cls)) {
          return (GroupImportance) cls.getConstructor().newInstance();
        }
      } catch (ReflectiveOperationException | LinkageError e) {
        throw new IllegalArgumentException("cannot load group importance class '" + name + "': " + e
            + "; known: " + known.keySet(), e);
      }
    }
    throw new IllegalArgumentException("unknown group importance '" + name + "'; known: " + known.keySet()
        + " (or the fully qualified name of a class implementing " + GroupImportance.class.getName() + ")");
  }

  /** The registered short names, sorted. */
  public static List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(discover().keySet()));
  }

  private static Map<String, GroupImportance> discover() {
    Map<String, GroupImportance> found = new TreeMap<>();
    for (ServiceLoader.Provider<GroupImportance> p : ServiceLoader.load(GroupImportance.class, loader()).stream()
        .toList()) {
      GroupImportance g;
      try {
        g = p.get();
      } catch (ServiceConfigurationError e) {
        LOG.warn("skipping group importance provider {}: {}", p.type().getName(), e.getMessage());
        continue;
      }
      GroupImportance prev = found.putIfAbsent(g.name().toLowerCase(Locale.ROOT), g);
      if (prev != null && prev.getClass() != g.getClass()) {
        LOG.warn("group importance name '{}' is claimed by {} and {}; keeping the first", g.name(),
            prev.getClass().getName(), g.getClass().getName());
      }
    }
    return found;
  }

  private static ClassLoader loader() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return cl != null ? cl : GroupImportances.class.getClassLoader();
  }
}
