package org.prunekit.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep as a self-contained HTML page ({@code report.html}) with its plots as PNG files next to
 * it, each also as SVG (linked under its caption): accuracy vs sparsity, latency vs MACs per engine and batch size, and Pareto fronts. The page
 * states the machine, the library versions, the load, the date and the exact command.
 */
public final class HtmlReport {
  /** The page's file name inside the output directory. */
  public static final String PAGE = "report.html";

  private HtmlReport() {}

  /**
   * Writes the page and its images into {@code dir} (created if needed).
   *
   * @return the files written, the page first
   */
  public static List<Path> write(SweepResult r, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    List<String[]> images = new ArrayList<>();
    if (r.hasAccuracy()) {
      images.add(plot(dir, "accuracy-vs-sparsity.png", "Accuracy vs sparsity", written,
          png -> Charts.accuracyVsSparsity(r, png)));
    }
    for (String engine : r.spec().engines()) {
      for (int b : r.spec().batchSizes()) {
        images.add(plot(dir, "latency-vs-macs-" + engine + "-b" + b + ".png", "Latency vs MACs, " + engine + ", batch " + b,
            written, png -> Charts.latencyVsMacs(r, engine, b, png)));
      }
    }
    for (Pareto.Tradeoff t : Pareto.tradeoffs(r)) {
      images.add(plot(dir, "pareto-" + t.key() + ".png", t.title(), written,
          png -> Charts.pareto(t.title(), t.xLabel(), "top-1 accuracy (%)", t.points(), png)));
    }
    Path page = dir.resolve(PAGE);
    Files.writeString(page, page(r, images), StandardCharsets.UTF_8);
    written.add(0, page);
    return written;
  }

  private interface Drawer {
    void draw(Path png) throws IOException;
  }

  private static String[] plot(Path dir, String file, String caption, List<Path> written, Drawer d) throws IOException {
    Path png = dir.resolve(file);
    d.draw(png);
    written.add(png);
    written.add(Charts.svgFor(png));
    return new String[] {file, caption};
  }

  static String page(SweepResult r, List<String[]> images) {
    Environment e = r.environment();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>PruneKit bench report</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;")
        .append("margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
        .append("td.l,th.l{text-align:left}pre{background:#f6f6f6;padding:.6em;white-space:pre-wrap}")
        .append("img{max-width:100%;border:1px solid #eee;margin:.5em 0}</style></head><body>\n")
        .append("<h1>PruneKit bench report</h1>\n");
    h.append("<p>Run on ").append(esc(e.date())).append(".</p>\n<h2>Command</h2>\n<pre>").append(esc(e.command()))
        .append("</pre>\n");
    h.append("<h2>Machine</h2>\n<table>\n");
    kv(h, "CPU", e.cpuModel());
    kv(h, "available processors (nproc)", Integer.toString(e.cpus()));
    kv(h, "os.arch", e.arch());
    kv(h, "OS", e.os());
    kv(h, "memory", e.memoryBytes() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", e.memoryBytes() / 1073741824.0));
    kv(h, "load average before (1/5/15 min)", e.loadBefore());
    kv(h, "load average after", e.loadAfter());
    kv(h, "threads", e.threads());
    h.append("</table>\n<h2>Versions</h2>\n<table>\n");
    for (Map.Entry<String, String> v : e.versions().entrySet()) {
      kv(h, v.getKey(), v.getValue());
    }
    h.append("</table>\n");
    SweepSpec s = r.spec();
    h.append("<p>Latency: median (p90) wall-clock ms per forward pass of the whole batch over ").append(s.runs())
        .append(" timed runs after ").append(s.warmup()).append(" warm-up runs per configuration and at least ")
        .append(String.format(java.util.Locale.ROOT, "%.0f", s.warmupMillis()))
        .append(" ms of warm-up per engine and batch size, on a seeded random input; ")
        .append("&times; = speed-up over the same model's dense baseline (same engine, batch and run). ")
        .append("MACs are per sample; effective MACs skip zero weights. Achieved sparsity = 1 &minus; non-zero ")
        .append("parameters / the dense model's non-zero parameters (all parameters). Dense engines multiply ")
        .append("zeros, so unstructured sparsity alone is not expected to be faster on them.");
    if (s.data() != null) {
      h.append(" Accuracy: top-1 on ").append(esc(s.data().getFileName() + "/" + s.prefix()))
          .append(s.limit() > 0 ? " (first " + s.limit() + " images)" : "").append(", on DJL PyTorch.");
    }
    h.append("</p>\n");
    table(h, r);
    if (!r.skipped().isEmpty()) {
      h.append("<h2>Skipped</h2>\n<ul>\n");
      r.skipped().forEach((k, v) -> h.append("<li>").append(esc(k)).append(": ").append(esc(v)).append("</li>\n"));
      h.append("</ul>\n");
    }
    h.append("<h2>Plots</h2>\n");
    for (String[] img : images) {
      h.append("<figure><img src=\"").append(esc(img[0])).append("\" alt=\"").append(esc(img[1]))
          .append("\"><figcaption>").append(esc(img[1])).append(" (<a href=\"")
          .append(esc(Charts.svgFor(Path.of(img[0])).toString())).append("\">SVG</a>)</figcaption></figure>\n");
    }
    List<Pareto.Tradeoff> tradeoffs = Pareto.tradeoffs(r);
    if (!tradeoffs.isEmpty()) {
      h.append("<h2>Pareto fronts</h2>\n");
      for (Pareto.Tradeoff t : tradeoffs) {
        h.append("<p><b>").append(esc(t.title())).append(":</b> ");
        h.append(esc(String.join("; ", ParetoFront.of(t.points()).stream().map(ParetoFront.Point::label).toList())));
        h.append("</p>\n");
      }
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void table(StringBuilder h, SweepResult r) {
    SweepSpec s = r.spec();
    h.append("<table>\n<tr><th class=\"l\">model</th><th class=\"l\">method</th><th>target</th><th>sparsity</th>")
        .append("<th>params</th><th>non-zero</th><th>eff. MACs</th><th>MAC frac.</th><th>accuracy</th>");
    for (String engine : s.engines()) {
      for (int b : s.batchSizes()) {
        h.append("<th>").append(esc(engine)).append(" b").append(b).append(" ms (p90) &times;</th>");
      }
    }
    h.append("</tr>\n");
    for (SweepRow row : r.rows()) {
      h.append("<tr><td class=\"l\">").append(esc(row.model())).append("</td><td class=\"l\">").append(esc(row.method()))
          .append("</td><td>").append(row.isDense() ? "" : Method.fmt(row.target()))
          .append(String.format(Locale.ROOT, "</td><td>%.3f</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%.3f</td>",
              row.achievedSparsity(), row.params(), row.nonZeroParams(), row.effectiveMacs(), row.macsFraction()))
          .append("<td>").append(row.accuracy() == null ? "&ndash;" : String.format(Locale.ROOT, "%.2f%%", 100 * row.accuracy()))
          .append("</td>");
      for (LatencyResult l : row.latency()) {
        h.append(String.format(Locale.ROOT, "<td>%.3f (%.3f) %.2f&times;</td>", l.medianMs(), l.p90Ms(), l.speedup()));
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void kv(StringBuilder h, String k, String v) {
    h.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td class=\"l\">").append(esc(v)).append("</td></tr>\n");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
