package org.prunekit.bench.harness;

/** Receives the harness's progress: called after every finished step (a pruning, an evaluation, a timing). */
@FunctionalInterface
public interface SweepProgress {
  /**
   * @param done steps finished so far
   * @param total steps in the whole sweep
   * @param step what was just done, e.g. {@code "mnist-8.onnx / magnitude 0.5: ort batch 32"}
   */
  void update(int done, int total, String step);

  /** A listener that ignores everything. */
  static SweepProgress none() {
    return (done, total, step) -> { };
  }
}
