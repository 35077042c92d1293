package org.prunekit.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The trade-offs a sweep's report shows as Pareto fronts: accuracy against MACs and against latency. */
final class Pareto {
  private Pareto() {}

  /**
   * One trade-off.
   *
   * @param key JSON key and file-name stem, e.g. {@code accuracy-vs-latency-ort-b1}
   * @param title plot title
   * @param xLabel cost axis label
   * @param points one point per row (label = {@link SweepRow#label()})
   */
  record Tradeoff(String key, String title, String xLabel, List<ParetoFront.Point> points) {}

  /**
   * Accuracy against effective MACs, and against median latency on each engine at the smallest batch
   * size; none without accuracy.
   */
  static List<Tradeoff> tradeoffs(SweepResult r) {
    List<Tradeoff> out = new ArrayList<>();
    if (!r.hasAccuracy()) {
      return out;
    }
    List<ParetoFront.Point> macs = new ArrayList<>();
    for (SweepRow row : r.rows()) {
      macs.add(new ParetoFront.Point(row.label(), row.effectiveMacs() / 1e6, 100 * row.accuracy()));
    }
    out.add(new Tradeoff("accuracy-vs-macs", "Pareto front: accuracy vs effective MACs", "effective MMACs per sample",
        macs));
    int batch = Collections.min(r.spec().batchSizes());
    for (String engine : r.spec().engines()) {
      List<ParetoFront.Point> lat = new ArrayList<>();
      for (SweepRow row : r.rows()) {
        lat.add(new ParetoFront.Point(row.label(), row.latency(engine, batch).medianMs(), 100 * row.accuracy()));
      }
      out.add(new Tradeoff("accuracy-vs-latency-" + engine + "-b" + batch,
          "Pareto front: accuracy vs latency (" + engine + ", batch " + batch + ")", "median latency (ms)", lat));
    }
    return out;
  }
}
