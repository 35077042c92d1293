package org.prunekit.dynamic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The registry of {@link ControllerProvider}s found by {@link ServiceLoader}. */
public final class Controllers {
  private Controllers() {}

  /** All providers on the class path, sorted by name. */
  public static List<ControllerProvider> list() {
    List<ControllerProvider> out = new ArrayList<>();
    ServiceLoader.load(ControllerProvider.class, Controllers.class.getClassLoader()).forEach(out::add);
    out.sort(Comparator.comparing(ControllerProvider::name));
    return out;
  }

  /**
   * The provider with this short name.
   *
   * @throws IllegalArgumentException naming the known controllers when there is none
   */
  public static ControllerProvider byName(String name) {
    List<ControllerProvider> all = list();
    return all.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown controller '"
                        + name
                        + "'; known: "
                        + all.stream().map(ControllerProvider::name).collect(Collectors.joining(", "))));
  }
}
