package org.prunekit.bench.harness;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finished sweep: what was asked, where and with what it ran, and one row per configuration.
 *
 * @param spec the sweep
 * @param environment machine, versions, load and date
 * @param rows dense baselines and pruned configurations, each model's baseline first
 * @param skipped configurations that could not be run, with the reason (e.g. a structured target
 *     that a model cannot reach); empty when everything ran
 */
public record SweepResult(SweepSpec spec, Environment environment, List<SweepRow> rows, Map<String, String> skipped) {
  /** Copies. */
  public SweepResult {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(environment, "environment");
    rows = List.copyOf(rows);
    skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
  }

  /** The dense baseline row of {@code model}. */
  public SweepRow baseline(String model) {
    return rows.stream().filter(r -> r.isDense() && r.model().equals(model)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no dense baseline for model " + model));
  }

  /** True if accuracy was measured. */
  public boolean hasAccuracy() {
    return rows.stream().anyMatch(r -> r.accuracy() != null);
  }
}
