package org.prunekit.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.prunekit.core.io.LibraryVersions;

/**
 * Where and with what a sweep ran: the machine, library versions, load, date and command line.
 *
 * @param date start of the sweep, ISO-8601 with offset
 * @param cpus available processors
 * @param os operating system name and version
 * @param arch {@code os.arch}
 * @param cpuModel the first {@code model name} in {@code /proc/cpuinfo}, or {@code "unknown"}
 * @param memoryBytes total physical memory, or -1 if unknown
 * @param loadBefore {@code /proc/loadavg} at the start (1, 5, 15 minute averages), or {@code "unknown"}
 * @param loadAfter {@code /proc/loadavg} at the end
 * @param versions library name to version (Java, PruneKit, DJL, ND4J, each engine, JFreeChart)
 * @param threads the thread settings the engines ran with
 * @param command the command line
 */
public record Environment(
    String date,
    int cpus,
    String os,
    String arch,
    String cpuModel,
    long memoryBytes,
    String loadBefore,
    String loadAfter,
    Map<String, String> versions,
    String threads,
    String command) {
  private static final String UNKNOWN = LibraryVersions.UNKNOWN;

  /** Copies. */
  public Environment {
    Objects.requireNonNull(date, "date");
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
  }

  /** Reads the machine now; {@code loadAfter} is left as {@code loadBefore} until {@link #finished()}. */
  static Environment capture(List<Engine> engines, String threads, String command) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("Java", System.getProperty("java.vendor", "") + " " + LibraryVersions.java());
    v.put("PruneKit", LibraryVersions.prunekit());
    v.put("DJL", LibraryVersions.djl());
    v.put("ND4J", LibraryVersions.nd4j());
    for (Engine e : engines) {
      v.put("engine " + e.name(), e.description());
    }
    v.put("JFreeChart", mavenVersion(JFreeChart.class, "org.jfree", "jfreechart"));
    String load = loadAverage();
    return new Environment(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name", UNKNOWN) + " " + System.getProperty("os.version", ""),
        System.getProperty("os.arch", UNKNOWN), readCpuModel(), readMemory(), load, load, v, threads, command);
  }

  /** This environment with {@code loadAfter} read now. */
  Environment finished() {
    return new Environment(date, cpus, os, arch, cpuModel, memoryBytes, loadBefore, loadAverage(), versions, threads,
        command);
  }

  /** The version in a jar's {@code META-INF/maven/<group>/<artifact>/pom.properties}, or "unknown". */
  static String mavenVersion(Class<?> inJar, String group, String artifact) {
    try (java.io.InputStream in = inJar.getResourceAsStream(
        "/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
      if (in == null) {
        return UNKNOWN;
      }
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version", UNKNOWN).trim();
    } catch (IOException e) {
      return UNKNOWN;
    }
  }

  private static String readCpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          int c = line.indexOf(':');
          return c < 0 ? UNKNOWN : line.substring(c + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
    return UNKNOWN;
  }

  private static long readMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return -1;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : UNKNOWN;
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }
}
