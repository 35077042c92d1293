package org.prunekit.dynamic.route;

import java.util.List;
import java.util.Objects;
import org.prunekit.core.tensor.Tensor;
import org.prunekit.dynamic.InferenceCost;

/**
 * What {@link ExpertRouter#route} returns for one batch: the outputs (the light expert's row, or
 * the heavy expert's row for escalated inputs), the prior of every input, which inputs used the
 * heavy expert, and each input's {@link InferenceCost}.
 *
 * @param outputs {@code [batch, classes]} logits
 * @param priors the light expert's prior per input (max softmax probability or entropy)
 * @param heavyUsed per input, true if it was escalated to the heavy expert
 * @param costs per input cost: MACs and bytes of the light expert, plus the heavy expert's when
 *     escalated; network evaluations 1 or 2; counter {@code heavyUsed} 0 or 1
 */
public record RoutedBatch(Tensor outputs, double[] priors, boolean[] heavyUsed, List<InferenceCost> costs) {
  /** Validates that every per-input array has one entry per output row, and copies them. */
  public RoutedBatch {
    Objects.requireNonNull(outputs, "outputs");
    int n = outputs.shape().get(0);
    priors = priors.clone();
    heavyUsed = heavyUsed.clone();
    costs = List.copyOf(costs);
    if (priors.length != n || heavyUsed.length != n || costs.size() != n) {
      throw new IllegalArgumentException("routed batch of " + n + " rows has " + priors.length + " priors, "
          + heavyUsed.length + " routing flags and " + costs.size() + " costs");
    }
  }

  /** Number of inputs. */
  public int size() {
    return heavyUsed.length;
  }

  /** Number of inputs that used the heavy expert. */
  public int heavyCount() {
    int k = 0;
    for (boolean b : heavyUsed) {
      k += b ? 1 : 0;
    }
    return k;
  }

  /** The summed cost of all inputs. */
  public InferenceCost totalCost() {
    InferenceCost t = InferenceCost.ZERO;
    for (InferenceCost c : costs) {
      t = t.plus(c);
    }
    return t;
  }

  /** The arg-max class of each row. */
  public int[] predictions() {
    return argmax(outputs);
  }

  /** The priors (a copy). */
  @Override
  public double[] priors() {
    return priors.clone();
  }

  /** The routing flags (a copy). */
  @Override
  public boolean[] heavyUsed() {
    return heavyUsed.clone();
  }

  /** The arg-max of each row of a {@code [rows, classes]} tensor (lowest index on ties). */
  public static int[] argmax(Tensor logits) {
    int rows = logits.shape().get(0);
    int k = logits.shape().get(1);
    float[] d = logits.data();
    int[] out = new int[rows];
    for (int i = 0; i < rows; i++) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (d[i * k + c] > d[i * k + best]) {
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }
}
