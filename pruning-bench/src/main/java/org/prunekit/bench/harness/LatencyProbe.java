package org.prunekit.bench.harness;

import org.prunekit.core.tensor.Tensor;

/** One model loaded into one engine, ready to be timed. Owns native memory: close it. */
public interface LatencyProbe extends AutoCloseable {
  /**
   * Runs {@code warmup} untimed forward passes of {@code input}, then {@code runs} timed ones.
   * Input conversion to the engine's format happens once, before the warm-up, and is not timed;
   * each timed pass includes running the model and releasing its outputs.
   *
   * @param input a batch for the model's single input
   * @param runs timed passes, may be 0 (warm-up only)
   * @return the {@code runs} wall-clock times in milliseconds, in the order measured
   */
  double[] timeMillis(Tensor input, int warmup, int runs);

  /** Releases the engine's resources. */
  @Override
  void close();
}
