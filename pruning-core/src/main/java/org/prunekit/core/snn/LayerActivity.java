package org.prunekit.core.snn;

import java.util.Objects;

/**
 * Measured input activity of one weight layer (linear or convolution) over the runs a {@link
 * SopCounter} saw.
 *
 * @param node the layer's node name
 * @param spikeInput whether its input is a spike tensor ({@link TemporalLayout#isSpikes}); only
 *     those layers' operations are synaptic operations
 * @param timesteps T, the steps its input carries
 * @param samples samples seen (batch entries, each over all T steps)
 * @param inputElements input elements per step over all samples seen
 * @param nonZeroInputs per step {@code t}, the non-zero input elements (spikes, for a spike input)
 * @param synapticOps per step {@code t}, the pairs of a non-zero input element and a non-zero
 *     weight that meet in the layer: for a linear layer {@code sum over non-zero inputs j of
 *     nnz(W[:, j])}, each spike times its kept fan-out
 */
public record LayerActivity(String node, boolean spikeInput, int timesteps, long samples, long inputElements,
    long[] nonZeroInputs, long[] synapticOps) {
  /** Validates and copies the arrays. */
  public LayerActivity {
    Objects.requireNonNull(node, "node");
    if (nonZeroInputs.length != timesteps || synapticOps.length != timesteps) {
      throw new IllegalArgumentException("layer '" + node + "': per-step arrays need " + timesteps + " entries");
    }
    nonZeroInputs = nonZeroInputs.clone();
    synapticOps = synapticOps.clone();
  }

  /** The per-step non-zero input counts (a copy). */
  @Override
  public long[] nonZeroInputs() {
    return nonZeroInputs.clone();
  }

  /** The per-step synaptic operation counts (a copy). */
  @Override
  public long[] synapticOps() {
    return synapticOps.clone();
  }

  /** Synaptic operations summed over the steps. */
  public long totalSynapticOps() {
    long s = 0;
    for (long v : synapticOps) {
      s = Math.addExact(s, v);
    }
    return s;
  }

  /** Non-zero inputs summed over the steps. */
  public long totalNonZeroInputs() {
    long s = 0;
    for (long v : nonZeroInputs) {
      s = Math.addExact(s, v);
    }
    return s;
  }

  /**
   * The fraction of input elements that are non-zero over all steps: the firing rate of a spike
   * input; 0 when nothing was seen.
   */
  public double firingRate() {
    double all = (double) inputElements * timesteps;
    return all == 0 ? 0.0 : totalNonZeroInputs() / all;
  }
}
