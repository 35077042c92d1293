package org.prunekit.bench.harness;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweep as JSON: {@code environment}, {@code spec}, {@code rows} (each with its {@code latency}
 * list), {@code skipped} and {@code pareto} (labels of the non-dominated rows per trade-off).
 */
public final class JsonReport {
  private JsonReport() {}

  /** The report as nested maps with a stable key order. */
  public static Map<String, Object> toMap(SweepResult r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("environment", environment(r.environment()));
    root.put("spec", spec(r.spec()));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (SweepRow row : r.rows()) {
      rows.add(row(row));
    }
    root.put("rows", rows);
    root.put("skipped", r.skipped());
    Map<String, Object> pareto = new LinkedHashMap<>();
    for (Pareto.Tradeoff t : Pareto.tradeoffs(r)) {
      pareto.put(t.key(), ParetoFront.of(t.points()).stream().map(ParetoFront.Point::label).toList());
    }
    root.put("pareto", pareto);
    root.put("notes", List.of(
        "latency: wall-clock ms per forward pass of the whole batch; speedup = dense medianMs / this medianMs,"
            + " same model, engine and batch, measured in this run",
        "macs and effectiveMacs are per sample (batch 1); achievedSparsity = 1 - nonZeroParams / dense nonZeroParams",
        "accuracy: top-1 on the given data, computed on DJL PyTorch"));
    return root;
  }

  /** The report as pretty-printed JSON. */
  public static String toJson(SweepResult r) {
    return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(toMap(r));
  }

  /** Writes {@link #toJson} to {@code file}, creating its directory. */
  public static void write(SweepResult r, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toJson(r), StandardCharsets.UTF_8);
  }

  private static Map<String, Object> row(SweepRow row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", row.model());
    m.put("method", row.method());
    m.put("kind", row.kind());
    m.put("target", row.target());
    m.put("achievedSparsity", row.achievedSparsity());
    m.put("params", row.params());
    m.put("nonZeroParams", row.nonZeroParams());
    m.put("macs", row.macs());
    m.put("effectiveMacs", row.effectiveMacs());
    m.put("macsFraction", row.macsFraction());
    m.put("accuracy", row.accuracy());
    m.put("pruneSeconds", row.pruneSeconds());
    List<Map<String, Object>> lat = new ArrayList<>();
    for (LatencyResult l : row.latency()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("engine", l.engine());
      e.put("batch", l.batch());
      e.put("medianMs", l.medianMs());
      e.put("p90Ms", l.p90Ms());
      e.put("speedup", l.speedup());
      lat.add(e);
    }
    m.put("latency", lat);
    return m;
  }

  private static Map<String, Object> environment(Environment e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", e.date());
    m.put("command", e.command());
    m.put("cpus", e.cpus());
    m.put("cpuModel", e.cpuModel());
    m.put("os", e.os());
    m.put("arch", e.arch());
    m.put("memoryBytes", e.memoryBytes());
    m.put("loadBefore", e.loadBefore());
    m.put("loadAfter", e.loadAfter());
    m.put("threads", e.threads());
    m.put("versions", e.versions());
    return m;
  }

  private static Map<String, Object> spec(SweepSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("models", s.models());
    m.put("criteria", s.criteria());
    m.put("sparsities", s.sparsities());
    m.put("structuredCriteria", s.structuredCriteria());
    m.put("macBudgets", s.macBudgets());
    m.put("batchSizes", s.batchSizes());
    m.put("engines", s.engines());
    m.put("data", s.data() == null ? null : s.data().toString());
    m.put("prefix", s.prefix());
    m.put("limit", s.limit());
    m.put("warmup", s.warmup());
    m.put("runs", s.runs());
    m.put("warmupMillis", s.warmupMillis());
    m.put("threads", s.threads());
    m.put("seed", s.seed());
    return m;
  }
}
