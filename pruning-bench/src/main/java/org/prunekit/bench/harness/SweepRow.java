package org.prunekit.bench.harness;

import java.util.List;
import java.util.Objects;

/**
 * One model configuration of a sweep: the dense baseline or one pruning method at one target.
 *
 * @param model model name
 * @param method {@code dense}, an unstructured criterion name, or {@code structured:<importance>}
 * @param kind {@code dense}, {@code unstructured} or {@code structured}
 * @param target the requested target: sparsity (unstructured), fraction of MACs kept (structured),
 *     0 for the baseline
 * @param achievedSparsity {@code 1 - nonZeroParams / nonZeroParams of the dense model}, over all
 *     parameters (so 0 for the baseline, even if it holds zeros already)
 * @param params parameter count of this model (smaller after structured pruning)
 * @param nonZeroParams non-zero, unmasked parameters
 * @param macs dense multiply-accumulates per sample
 * @param effectiveMacs multiply-accumulates per sample with zero weights skipped
 * @param macsFraction {@code effectiveMacs} over the dense baseline's {@code effectiveMacs}
 * @param accuracy top-1 accuracy on the sweep's data, or null without data
 * @param pruneSeconds time spent pruning (0 for the baseline)
 * @param latency one result per engine and batch size
 */
public record SweepRow(
    String model,
    String method,
    String kind,
    double target,
    double achievedSparsity,
    long params,
    long nonZeroParams,
    long macs,
    long effectiveMacs,
    double macsFraction,
    Double accuracy,
    double pruneSeconds,
    List<LatencyResult> latency) {

  /** The baseline method name. */
  public static final String DENSE = "dense";

  /** Validates and copies. */
  public SweepRow {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(kind, "kind");
    latency = List.copyOf(latency);
  }

  /** True for the dense baseline row. */
  public boolean isDense() {
    return DENSE.equals(kind);
  }

  /** The series label used in plots: {@code model / method}. */
  public String series() {
    return model + " / " + method;
  }

  /** A unique label: {@code model / method target}, e.g. {@code mnist-8.onnx / magnitude 0.5}. */
  public String label() {
    return isDense() ? series() : series() + " " + Method.fmt(target);
  }

  /**
   * The latency on {@code engine} at {@code batch}.
   *
   * @throws IllegalArgumentException if this row has none
   */
  public LatencyResult latency(String engine, int batch) {
    for (LatencyResult r : latency) {
      if (r.engine().equals(engine) && r.batch() == batch) {
        return r;
      }
    }
    throw new IllegalArgumentException("row " + series() + " @ " + target + " has no latency for engine " + engine
        + " batch " + batch);
  }
}
