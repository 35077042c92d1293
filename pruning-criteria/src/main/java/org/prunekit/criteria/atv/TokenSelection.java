package org.prunekit.criteria.atv;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of ATV's visual-token selection for one layer: the layer-average distance, and per
 * calibration sample the keep count {@code k_j} and the calibration pool (text token positions
 * ascending, then the selected visual token positions ascending, as the reference concatenates
 * them).
 *
 * @param meanDistance {@code d̄_l}, the mean of {@code 1 - cos(h_in, h_out)} over every visual
 *     token of every sample (0 if there were no visual tokens)
 * @param alpha the {@code α} the keep counts were computed with
 * @param keepCounts per sample, {@code k_j}
 * @param pools per sample, the token positions whose activations feed the statistics
 */
public record TokenSelection(double meanDistance, double alpha, int[] keepCounts, List<int[]> pools) {
  /** Copies the arrays and checks that there is one keep count per pool. */
  public TokenSelection {
    keepCounts = keepCounts.clone();
    List<int[]> copy = new ArrayList<>(pools.size());
    for (int[] p : pools) {
      copy.add(p.clone());
    }
    pools = List.copyOf(copy);
    if (keepCounts.length != pools.size()) {
      throw new IllegalArgumentException("token selection has " + keepCounts.length + " keep counts but "
          + pools.size() + " pools");
    }
  }

  /** Number of calibration samples. */
  public int samples() {
    return pools.size();
  }

  /** The pool (token positions) of sample {@code j}, a copy. */
  public int[] pool(int sample) {
    return pools.get(sample).clone();
  }

  @Override
  public int[] keepCounts() {
    return keepCounts.clone();
  }
}
