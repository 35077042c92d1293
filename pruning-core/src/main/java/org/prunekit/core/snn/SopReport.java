package org.prunekit.core.snn;

import java.util.List;

/**
 * Synaptic operations (SOPs) measured by a {@link SopCounter}: per weight layer, and in total over
 * the layers whose input is a spike tensor (spec 3.6: {@code SOPs = sum_t sum_l #spikes into l at
 * t x kept fan-out of each spiking input}).
 *
 * @param layers every linear / convolution layer, in graph order
 */
public record SopReport(List<LayerActivity> layers) {
  /** Copies the list. */
  public SopReport {
    layers = List.copyOf(layers);
  }

  /**
   * The activity of one layer.
   *
   * @throws IllegalArgumentException if the counter watched no layer of that name
   */
  public LayerActivity layer(String node) {
    for (LayerActivity a : layers) {
      if (a.node().equals(node)) {
        return a;
      }
    }
    throw new IllegalArgumentException("no linear or convolution layer '" + node + "' was counted");
  }

  /** SOPs summed over the layers with spike inputs and all steps, for all samples seen. */
  public long totalSops() {
    long s = 0;
    for (LayerActivity a : layers) {
      if (a.spikeInput()) {
        s = Math.addExact(s, a.totalSynapticOps());
      }
    }
    return s;
  }

  /**
   * {@link #totalSops()} divided by the samples seen (the largest sample count of any layer); 0
   * when nothing was seen.
   */
  public double sopsPerSample() {
    long n = 0;
    for (LayerActivity a : layers) {
      n = Math.max(n, a.samples());
    }
    return n == 0 ? 0.0 : (double) totalSops() / n;
  }
}
