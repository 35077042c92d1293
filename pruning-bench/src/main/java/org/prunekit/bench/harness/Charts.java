package org.prunekit.bench.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's plots (structured methods dashed), drawn with JFreeChart and written twice: as PNG
 * at the path given and as SVG (vector, drawn by JFreeSVG) beside it with the extension {@code .svg}
 * (see {@link #svgFor}). Headless: {@code java.awt.headless} is set to {@code true} when unset,
 * before any AWT class loads.
 */
public final class Charts {
  /** Width and height of every PNG, in pixels. */
  public static final int WIDTH = 760;
  /** Height of every PNG, in pixels. */
  public static final int HEIGHT = 460;

  /** Series colours (the "tab10" palette), readable on white. */
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf)};

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /** Accuracy (%) against achieved sparsity, one line per model and method, each starting at its dense point. */
  public static void accuracyVsSparsity(SweepResult r, Path png) throws IOException {
    XYSeriesCollection data = perMethod(r, SweepRow::achievedSparsity, row -> 100 * row.accuracy());
    save(lines("Accuracy vs sparsity", "achieved sparsity (1 - non-zero / dense non-zero params)", "top-1 accuracy (%)", data),
        png);
  }

  /** Median latency against effective MACs per sample on one engine and batch size. */
  public static void latencyVsMacs(SweepResult r, String engine, int batch, Path png) throws IOException {
    XYSeriesCollection data = perMethod(r, row -> row.effectiveMacs() / 1e6, row -> row.latency(engine, batch).medianMs());
    save(lines("Latency vs MACs (" + engine + ", batch " + batch + ")", "effective MMACs per sample",
        "median latency (ms)", data), png);
  }

  /**
   * Every point in grey and the non-dominated ones highlighted and joined by a step line.
   *
   * @param points all points (cost on x, value on y)
   */
  public static void pareto(String title, String xLabel, String yLabel, List<ParetoFront.Point> points, Path png)
      throws IOException {
    XYSeries all = new XYSeries("dominated", false, true);
    XYSeries front = new XYSeries("Pareto front (non-dominated)", false, true);
    List<ParetoFront.Point> f = ParetoFront.of(points);
    for (ParetoFront.Point p : points) {
      if (!f.contains(p)) {
        all.add(p.cost(), p.value());
      }
    }
    for (ParetoFront.Point p : f) {
      front.add(p.cost(), p.value());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(front);
    data.addSeries(all);
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
        false, false);
    XYPlot plot = style(chart);
    XYLineAndShapeRenderer ren = new XYLineAndShapeRenderer(true, true);
    ren.setSeriesPaint(0, new Color(0xD6, 0x27, 0x28));
    ren.setSeriesStroke(0, new BasicStroke(2.5f));
    ren.setSeriesPaint(1, new Color(0x99, 0x99, 0x99));
    ren.setSeriesLinesVisible(1, false);
    plot.setRenderer(ren);
    save(chart, png);
  }

  private static XYSeriesCollection perMethod(SweepResult r, ToDoubleFunction<SweepRow> x, ToDoubleFunction<SweepRow> y) {
    Map<String, XYSeries> series = new LinkedHashMap<>();
    for (SweepRow row : r.rows()) {
      if (row.isDense()) {
        continue;
      }
      XYSeries s = series.computeIfAbsent(row.series(), k -> {
        XYSeries n = new XYSeries(k, true, true);
        SweepRow base = r.baseline(row.model());
        n.add(x.applyAsDouble(base), y.applyAsDouble(base));
        return n;
      });
      s.add(x.applyAsDouble(row), y.applyAsDouble(row));
    }
    if (series.isEmpty()) {
      for (SweepRow row : r.rows()) {
        XYSeries n = new XYSeries(row.series(), true, true);
        n.add(x.applyAsDouble(row), y.applyAsDouble(row));
        series.put(row.series(), n);
      }
    }
    XYSeriesCollection c = new XYSeriesCollection();
    series.values().forEach(c::addSeries);
    return c;
  }

  private static JFreeChart lines(String title, String xLabel, String yLabel, XYSeriesCollection data) {
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
        false, false);
    XYPlot plot = style(chart);
    XYLineAndShapeRenderer ren = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      ren.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      boolean structured = data.getSeriesKey(i).toString().contains("structured:");
      ren.setSeriesStroke(i, structured
          ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
          : new BasicStroke(2f));
    }
    plot.setRenderer(ren);
    return chart;
  }

  private static XYPlot style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    return plot;
  }

  /** The SVG file written beside {@code png}: same name with {@code .svg} in place of {@code .png}. */
  public static Path svgFor(Path png) {
    String name = png.getFileName().toString();
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    return png.resolveSibling(base + ".svg");
  }

  private static void save(JFreeChart chart, Path png) throws IOException {
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    Files.writeString(svgFor(png), g.getSVGDocument(), StandardCharsets.UTF_8);
  }
}
